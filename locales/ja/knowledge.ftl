## partnerdesk knowledge answers (Japanese).
##
## One message per topic: `topic-<id>`, the ids of partnerdesk-knowledge's TopicId. Each has a
## `.title` attribute (a short name of the topic, for "did you mean" lists and low-confidence
## replies). Every fact is quoted from the seed documents (shared/seeds/000: PartnerWorld
## registration; 003: Aspera partner contracts moving to IBM on 2015-07-01); keep them in step
## with locales/en/knowledge.ftl, which has the same ids and variables.
##
## Variables: only `topic-pwcs` and `topic-unknown` take any: `$status` (see above each) and
## `$anniversary`, the founding-anniversary date from the calendar (" (6/17)", or empty). For
## renewal and invoice questions with a date, the caller appends the computed window / payee /
## due date after the message; the messages themselves state only the fixed rules.

topic-register-company =
    初めて PartnerWorld に登録する(企業プロフィールの新規登録)手順です。手続きは「IBM IDの取得」「PartnerWorldのご登録」の2つのステップからなります。
    1. PartnerWorldポータルサイト(ibm.com/partnerworld/jp/)にアクセスし、「初めての方はこちら」をクリックします。「ご参加の利点」のページの「PartnerWorldに参加する」ボタンをクリックして、ご登録の手順ページに進みます。
    2. 「IBM IDのご登録はこちらから」をクリックし、IBM IDとパスワードを取得します(画面の指示に従って、必要事項を入力し登録します)。
    3. 「ご登録の手順」ページに戻り、「PartnerWorldへのご登録はこちら」をクリックし、IBM IDとパスワードでPartnerWorldプロフィール・システムにログインします。
    4. 「PartnerWorld合意書(PartnerWorldのご参加条件)」をご一読いただき、「同意する」ボタンをクリックします。
    5. 画面に従って貴社の基本情報を登録して企業プロフィールを作成し、次に個人情報を登録して社員プロフィールを作成します。送信ボタンをクリックして企業・社員プロフィールを送信します。
    6. ご登録申請後、簡単な加入審査が行われます。審査が完了しますと貴社名を件名とした「手続き完了のご案内」をEメールにてご連絡いたします(審査状況によっては、書類の提出をお願いする場合がございます)。
    貴社がすでに PartnerWorld に登録済みの場合は、ご自分を企業プロフィールに追加登録してください(「会社に追加登録」とお尋ねください)。
    .title = PartnerWorld への企業登録

topic-ibm-id =
    IBM ID は、IBM の全Webサイトで共通してご使用いただける個人IDとパスワードです。IBM Webサイトを通じて使用されるユーザー情報を集中的に管理する IBM Registration にて取得します。IBM ID は IBM Web アプリケーションへのアクセスIDとなり、この1つのアクセスIDとパスワードで、他の IBM ID をベースとしたアプリケーションにアクセスできます。
    ・取得方法: PartnerWorldポータルサイト(ibm.com/partnerworld/jp/)で「IBM IDのご登録はこちらから」をクリックするか、次のサイトにアクセスし、有効な電子メール・アドレスをご登録ください。画面の指示に従って、必要事項を入力し登録します。
    https://www.ibm.com/account/profile/us?page=reg
    ・新規 IBM ID のご使用には、最大 15 分かかる場合があります。作成直後に使えない場合は、この時間をお待ちください。
    ・IBM ID のセットアップについては、よくある質問 (FAQ) のページ https://www.ibm.com/account/profile/us?page=faqhelp をご参照いただくか、Worldwide IBM Registration Helpdesk https://www.ibm.com/account/profile/us?page=helpdesk にお問い合わせください。
    .title = IBM ID の取得

topic-join-company =
    貴社がすでに PartnerWorld に登録済みであれば、ご自分を会社登録(企業プロフィール)に追加登録することで、個人向けの各種特典を利用することができます。
    まず IBM ID とパスワードを取得します(初めての登録と同じ手順です。ibm.com/partnerworld/jp/ の「初めての方はこちら」→「PartnerWorldに参加する」→「社員の追加登録をされる方」タブ)。続いて、次のどちらかの方法で追加登録します。
    ■ 会社トークン方式(自分で社員プロフィールを作成し、追加登録申請する方法)
    ・貴社のプロフィール管理者 (APA) から、自社の「会社トークン (16桁の英数字)」をあらかじめ入手しておきます。
    ・IBM ID とパスワードで PartnerWorld プロファイル・システム (ibm.com/partnerworld/partnertools/) にアクセスし、画面下の「自分のプロフィールをロケーションに関連付ける」をクリックして、会社トークンを入力した後、送信します。
    ・表示されたロケーションのリストから自分を追加登録したいロケーションを選択し、画面にしたがい社員プロフィールを作成し、保存します。
    ・申請がプロフィール管理者によって承認されると、PartnerWorld からご登録確認とガイドの e-mail が届きます。
    ■ プロフィール管理者による登録(プロフィール管理者が社員プロフィールを作成し、手動で追加登録する方法)
    ・取得した IBM ID を貴社のプロフィール管理者 (APA) に通知します。
    ・プロフィール管理者は、連絡された IBM ID をもとに社員プロフィールを作成し、ロケーション・プロフィールに追加登録後、送信します。登録が完了すると、PartnerWorld からご登録確認とガイドの e-mail が届きます。
    各ユーザーにどのレベルの権限を付与するかは、各社のプロフィール管理者が決定し、設定します。プロフィール管理者が不明の場合は、PartnerWorld コンタクト・サービス (PWCS) にお問い合わせください。
    .title = 登録済みの会社への追加登録

topic-company-token =
    会社トークンは、自社の「会社トークン (16桁の英数字)」です。既存の企業プロフィールに自分を追加登録する「会社トークン方式」で使います。
    ・入手先: 貴社のプロフィール管理者 (APA) から、あらかじめ入手しておきます。
    ・入力場所: 取得した IBM ID とパスワードで PartnerWorld プロファイル・システム (ibm.com/partnerworld/partnertools/) にアクセスし、画面下の「自分のプロフィールをロケーションに関連付ける」をクリックして、会社トークンを入力した後、送信します。
    ・その後: 追加登録できるロケーションのリストが表示されますので、自分を追加登録したいロケーションを選択し、画面にしたがい自分の個人情報 (社員プロフィール) を作成し、保存します。申請がプロフィール管理者によって承認されると、PartnerWorld からご登録確認とガイドの e-mail が届きます。
    ・会社トークンをお持ちでない場合(プロフィール管理者による登録): 取得した IBM ID を貴社のプロフィール管理者 (APA) に通知します。このチャットで /join 会社名 と入力すると、あなたの IBM ID とお名前をプロフィール管理者にお送りするボタンを表示します。
    プロフィール管理者が不明の場合は、PartnerWorld コンタクト・サービス (PWCS) にお問い合わせください。
    .title = 会社トークン

topic-apa =
    プロフィール管理者 (APA) は、貴社の社員を PartnerWorld の企業プロフィールに追加登録する方です。
    ・会社トークン方式: 社員は APA から自社の「会社トークン (16桁の英数字)」を入手して申請し、その申請をプロフィール管理者が承認します。
    ・プロフィール管理者による登録: 社員から通知された IBM ID をもとに、プロフィール管理者が社員プロフィールを作成し、ロケーション・プロフィールに追加登録後、送信します。
    ・権限: 社員の追加登録の際、各ユーザーにどのレベルの権限を付与するかは、各社のプロフィール管理者が決定し、設定します。
    プロフィール管理者が不明の場合は、PartnerWorld コンタクト・サービス (PWCS) にお問い合わせください(☎ 0120-07-2004、音声ガイドに従って「3」を押すと PWCS につながります)。
    .title = プロフィール管理者 (APA)

topic-agreement =
    PartnerWorldへのご参加は、「PartnerWorld合意書(PartnerWorldのご参加条件)」への同意が前提となります。
    ご登録の途中、IBM IDとパスワードでPartnerWorldプロフィール・システムにログインした後に表示されます。こちらをご一読いただき、「同意する」ボタンをクリックしてください。ご同意いただいた後、企業プロフィールと社員プロフィールの作成に進みます。
    .title = PartnerWorld 合意書

topic-review =
    ご登録申請後、簡単な加入審査が行われます。審査が完了しますと貴社名を件名とした「手続き完了のご案内」をEメールにてご連絡いたします。
    ※審査状況によっては、書類の提出をお願いする場合がございます。あらかじめご了承ください。
    ご登録に関するご不明点は、PartnerWorld コンタクト・サービス (PWCS) までお問い合わせください。
    .title = 加入審査と登録完了通知

topic-pps =
    PartnerWorld メンバーの企業情報および個人の情報はすべて PartnerWorld プロファイル・システム (PPS) で管理されます。ご登録の際にご入力いただいた情報がプロフィールとして保管され、PartnerWorld では PPS をもとに各種特典、ご支援サービスをご提供しています。
    ・PartnerWorld メンバーシップ・レベルの詳細や、ご登録拠点 (ロケーション)、社員の情報など IBM との協業に必要な情報をいつでもご確認いただけます。
    ・IBM からビジネス・パートナー様に配信するあらゆる情報は、PPS の設定に基づいて配信されます。『IBM PartnerWorld ニュース』の内容やメンバー専用サイトのトップページ、アクセス範囲などのコンテンツが、PPS で設定いただいた内容で選択されます。
    ・『社員プロフィール (個人情報)』を常に最新の状態でアップデートしておくことで、自分に必要な情報を定期的に入手でき、より詳細な情報にアクセスすることが可能となります。
    PartnerWorld プロファイル・システム (PPS): ibm.com/partnerworld/partnertools/
    .title = PartnerWorld プロファイル・システム (PPS)

# Variables:
#   $status (String) - one pre-rendered sentence computed by the caller from the business
#       calendar (Asia/Tokyo), e.g. 「ただいま受付中です(12:00 まで)。」 or
#       「ただいま受付時間外です。次の受付開始は 1月4日 9:00 です。」
topic-pwcs =
    PartnerWorld コンタクト・サービス (PWCS)
    ☎ 0120-07-2004 (携帯電話・PHSからもつながります)
    はじめに BP コンタクト IBM につながります。音声ガイドに従って「3」を押すと PWCS につながります。
    窓口受付時間: 営業時間 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日{ $anniversary }、12/30~1/3 を除く)
    { $status }
    .title = PartnerWorld コンタクト・サービス (PWCS)

topic-contract-transfer =
    2015 年 7 月 1 日付けで、Asperaとのパートナー契約は、IBM の Flexible Contract Type (FCT)として IBMに継承されます(IBM は、2014 年 1 月 17 日に Aspera, Inc. の買収を完了しました)。
    ・2015 年 7 月 1 日付で、Aspera と締結している有効なご契約は、IBMに継承されます。
    ・このプロセスの一環として、IBM はコンプライアンス・ベッティング・プロセスを行います。お客様が既存の IBM ビジネス・パートナーの場合、このプロセスは既に完了しています。
    ・この件に関して IBM ビジネス・パートナー確認書類をお受け取りの場合は、必要情報をご記入いただき返送してくださるようお願いいたします。
    ご不明な点がございましたら、IBM チーム、または IBM Aspera 営業担当員までお問合せください。
    .title = Aspera 契約の IBM への継承 (FCT)

topic-credit-review =
    IBM と直接お取り引きいただく IBM ビジネス・パートナー様には、発注管理業務の一環として与信審査がございます。
    多くの場合、民間の信用格付けを利用しておりますが、これがない場合は、与信判断のため財務諸表の提出をお願いすることがあります。
    .title = 与信審査

topic-ibm-profile =
    IBM ID取得後、IBM プロファイル情報をご登録いただきます。次のサイトで、パートナー様の詳細情報の登録・修正・追加等が出来ます。
    https://www.ibm.com/account/profile/us
    ※現行の IBM パートナーに登録している方は、既存のプロファイルを使用できます。
    IBM プロファイルおよび IBM 登録 ID のセットアップに関する追加情報とガイダンスについては、よくある質問 (FAQ) のページを参照してください: https://www.ibm.com/account/profile/us?page=faqhelp
    あるいは、Worldwide IBM Registration Helpdesk にお問い合わせください: https://www.ibm.com/account/profile/us?page=helpdesk
    .title = IBM プロファイル

# The caller may append the computed payee / due date for an invoice date in the question.
topic-billing =
    2015 年 7 月 1 日以降、Aspera のお支払とご発注プロセスは、IBM に移行されます。
    ・取引先名称: 「Aspera」から「日本アイ・ビー・エム株式会社」に変更になります。
    ・請求書の送付: 2015年 7月 1日以降の書面による請求書は、IBM よりご指定いただいた請求書送付先へ送付されます。お見積書・請求書などの書類は IBMの書式にて「日本アイ・ビー・エム株式会社」から発行されます。
    ・お支払先: 2015年 7月 1日以降のお支払は、Asperaではなく「日本アイ・ビー・エム株式会社」に対して行っていただく必要があります。振込先については IBM請求書裏面に記載されます。
    ・(注) 7月 1日より前に Asperaから発行される請求書は、これまで同様「Aspera」へのお支払となり、請求書に明記される支払方法に従って送金する必要があります。
    .title = 請求書とお支払先

# The caller may append the computed due date for an invoice date in the question.
topic-payment-terms =
    お支払条件 (IBM の請求書): 請求書発行日から 30日以内のお支払が標準決済条件となります。詳しくはご請求書をご確認ください。
    ・(注) 7月 1日より前に Asperaから発行される請求書は、これまで同様「Aspera」へのお支払となり、請求書に明記される支払方法に従って送金する必要があります。
    ・(注) 貴社と Aspera との有効な契約で固有の支払い条件が規定されている場合には、そのお支払条件が優先されます。
    ・IBMよりお支払の遅延について連絡を受けた場合には、Aspera から継承されたご契約であることを伝えてください。
    .title = お支払条件

topic-currency-language =
    ・通貨: 2015年 7月 1日以降のお取引は日本円となります。
    ・使用言語: 各種書類、お知らせは日本語で提供させていただきます。(一部例外あり)
    .title = 通貨と使用言語

topic-tax =
    日本 IBM からの販売、サービスの提供について、税金(ただし、日本 IBM の法人税は除きます)が課税される場合には、請求書に記載された税額をお支払いただくものとします。
    なお、2015 年 7 月 1 日以降に日本 IBM から発行される請求書については、すべてのお取引に消費税が別途加算されます。
    .title = 税金(消費税)

topic-customer-number =
    2015 年 7 月 1 日付で、Aspera パートナーには IBM お客様番号 (以下「ICN」といいます) およびサイト番号が設定されます。
    貴社の ICN とサイト番号は、IBM から後日発送する「IBMソフトウェア・ライセンスご登録内容のお知らせ」に記載されます。
    .title = IBM お客様番号 (ICN) とサイト番号

topic-product-names =
    Aspera 製品名称は、IBM での新しい製品番号および製品名称に置き換わります。IBM から発行されるお見積書、請求書には、この新しい製品番号および製品名称が記載されます。
    また、2015 年 7 月 1 日以降に発行するお見積書・請求書などの書類は IBM の書式にて「日本アイ・ビー・エム株式会社」から発行されます。
    .title = 製品番号と製品名称の変更

topic-aspera-support =
    Aspera サポート対象製品およびサポートシステムは、2015 年 7 月 1 日以降も引続きご利用いただけます。IBM Aspera サポート・チームは、今後も継続して、妥協することなくお客様の満足度をお届けすることに専心いたします。
    ・現時点で、Aspera お客様サポートの電話番号および Webサイトは変更されません。これまで通り Aspera Technical Support Customer Center にアクセスしてください。
    ・現時点では、ADN (Aspera Developer Network) も変更されません。
    ・サポート・チケット: これまで通り Aspera サポートの Web サイト、E メール、Web ポータルをご利用いただくか、または Aspera に直接お電話をいただくことで、ログオンできます。従来の Aspera ユーザー名とパスワードを使用して、これまでと同様にアクセスすることができます。
    ・Aspera の Knowledge Base および Forums もこれまでと同様にアクセスできます。
    Aspera サポートの窓口:
    ・サポート・サイト: https://support.asperasoft.com/home
    ・E メール: support@aspera.zendesk.com
    ・Web フォーム (匿名でのリクエスト): https://support.asperasoft.com/anonymous_requests/new
    ・Knowledge Base: https://support.asperasoft.com/categories/20004723-Aspera-Knowledgebase-
    ・お問い合わせ: http://asperasoft.com/contact-us/
    Aspera のお客様サポート・サイトおよび電話アクセスの変更に関しては、E メールにて別途ご連絡いたします。最新の更新情報については、IBM Aspera Technical Support Customer Center (http://www.ibm.com/software/info/aspera/support/) を参照してください。
    .title = Aspera サポート

topic-support-contacts =
    IBM システムおよびプロセスへの移行の一環として、Aspera パートナー様の、代表窓口、技術サポート窓口、および請求書送付先窓口のご登録をいたします。IBM お客様サポートをご利用される際のコンタクトは次の通りです(Aspera サポート・システムが IBM のサポート・システムに切り替わってから、ご利用いただけます)。
    ■ プライマリー・コンタクト
    ・ソフトウェア・サービスおよびその他の契約に対するすべての変更を通知するための窓口となります。お客様のアカウントに対するすべての必要な変更を IBM に通知する責任があります。
    ・IBM ダウンロード・サイトへのアクセスを管理し、貴社内で IBM ダウンロード・サイトへのアクセス申請を承認し、ダウンロード・アカウント管理およびご案内情報の取りまとめをしていただきます。
    ・プライマリー・コンタクト担当者は、1名ご指名いただきます。
    ■ テクニカル・サポート・コンタクト
    ・IBM の技術サービスおよびお客様サポート・サービスへのアクセスを管理します。貴社内で IBM お客様サポート・サイトへのアクセス要求を承認し、IBM お客様サポートへのアクセスに関するご案内情報を取りまとめいただきます。
    .title = プライマリー・コンタクトとテクニカル・サポート・コンタクト

# The caller appends the computed window when the question gives a renewal date.
topic-renewal =
    現在有効な Aspera のサポート契約をお持ちの場合、各ご契約の更新日により以下の更新方法(ソフトウェア・サブスクリプション&サポート更新)をご選択いただけます。
    ■ 更新日が 2015 年 7 月 1 日より前の場合
    Aspera 営業担当員からお見積書を提示いたしますので、現行契約の更新日または 2015 年 6 月 30 日のいずれか早い方の日付までに更新のご確認を行ってください。2015年 6月 30日の時点で更新が完了していない場合、IBM標準の契約条件でのご契約が必要となります。お見積書がまだ届いていない場合は、Aspera 営業担当員にお問い合わせください。
    ■ 更新日が 2015 年 7 月 1 日から 2015 年 9 月 30 日までの場合
    2015 年 6 月 30 日までにお手続きいただくことで、現行契約を事前に更新することができます。2015年 6月 30日までに更新されない場合は、IBMが新たにお見積書を発行いたします。2015年 7月 1日以降は、製品番号やご発注に関する書類、請求書、お支払条件は IBMのご契約条件となり、更新終了日は該当月の最終日となります。お見積書がまだ届いていない場合は、Aspera 更新担当員にお問い合わせください。
    ■ 更新日が 2015 年 10 月 1 日より後の場合
    ソフトウェア・サブスクリプション&サポート更新のお見積書は、IBM サブスクリプション&サポート更新担当員よりご連絡します。このお見積もりは IBMの標準契約条件に準拠し、更新終了日は該当月の最終日となります。
    .title = サポート契約の更新

topic-privacy =
    IBM システムおよびプロセスへの移行の一環として、個人情報が Aspera から IBM に転送される場合があります。
    IBM のプライバシー・ポリシーは、http://www.ibm.com/privacy でオンラインでご確認いただけます。
    .title = 個人情報とプライバシー・ポリシー

topic-help =
    こんにちは。PartnerWorld へのご登録と、Aspera 契約の IBM への移行についてお答えするボットです。
    { knowledge-help }
    .title = ヘルプ

# Variables:
#   $status (String) - the same pre-rendered PWCS opening sentence as in `topic-pwcs`.
topic-unknown =
    申し訳ございません。そのご質問にはお答えできません。このボットは PartnerWorld へのご登録と、Aspera 契約の IBM への移行についてお答えします(「ヘルプ」と入力すると、お答えできる内容を表示します)。
    ご登録に関するご不明点は、PartnerWorld コンタクト・サービス (PWCS) までお問い合わせください: ☎ 0120-07-2004 (音声ガイドに従って「3」を押す)、窓口受付時間 平日 9:00~12:00 および 13:00~17:00 (祝日、日本 IBM 創立記念日{ $anniversary }、12/30~1/3 を除く)。{ $status }
    Aspera 契約の移行についてご不明な点は、IBM チーム、または IBM Aspera 営業担当員までお問合せください。
    .title = その他のご質問

## Glue

# What the bot can do: the topics and the slash commands. No variables.
knowledge-help =
    次のようなご質問に、文章のままお答えします(日本語・英語)。
    ・PartnerWorld: 企業登録、IBM ID の取得、登録済みの会社への追加登録、会社トークン、プロフィール管理者 (APA)、PartnerWorld 合意書、加入審査、PartnerWorld プロファイル・システム (PPS)
    ・PartnerWorld コンタクト・サービス (PWCS): 電話番号と受付時間
    ・Aspera 契約の IBM への継承: 与信審査、IBM プロファイル、請求書とお支払先、お支払条件、通貨と使用言語、消費税、お客様番号 (ICN) とサイト番号、製品番号と製品名称、Aspera サポート、プライマリー・コンタクトとテクニカル・サポート・コンタクト、サポート契約の更新、プライバシー・ポリシー
    コマンド:
    /ask 質問する
    /hours PWCS の窓口受付時間と、いま受付中かどうか
    /renewal 更新日を入力すると、その契約の更新方法
    /register PartnerWorld への企業登録
    /join 会社トークンで登録済みの会社に追加登録
    /status 申請の状況
    /link IBM ID とチャットのアカウントを連携(確認コードを送ります)
    /verify 届いた確認コードを入力
    /lang 返答の言語を切り替え
    /profile 氏名・言語・タイムゾーン
    /contacts 自社のプライマリー・コンタクトとテクニカル・サポート・コンタクト
    /help この一覧
    プロフィール管理者 (APA) 向け: /pending 承認待ちの申請、/approve と /reject 申請の承認と却下、/add-member ロケーションへの追加登録、/token rotate 会社トークンの再発行
    営業担当者向け: /renewals 更新期限が近い担当契約、/ack リマインダーの対応済み登録
    管理者向け: /review 企業登録の審査

# Lead line before an answer the matcher was not sure about.
# Variables:
#   $title (String) - the `.title` attribute of the chosen topic.
knowledge-low-confidence = 「{ $title }」についてのご質問としてお答えします。違う場合は、言い換えてお尋ねください。
