//! SQL shared by several aggregates, as inherent helpers of a backend store
//! (`impl_sql_helpers!`) that the aggregates' macros call as `Self::wf_…` inside their own
//! transaction: the audit entry of a change (`wf_audit`), the outbox rows it causes
//! (`wf_enqueue_all`), role grants (`wf_grant`), the APA check (`wf_is_apa`) and finding or
//! creating a person (`wf_person_or_create`).
//!
//! Statements use `$N` placeholders and `ON CONFLICT`/`RETURNING`, which SQLite (3.35+) and
//! PostgreSQL share, so one text serves both backends. Aggregate files never name this file:
//! the backends instantiate it next to the aggregates' macros.

/// The shared helpers for a backend store `$store` over the sqlx database `$db`.
macro_rules! impl_sql_helpers {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Serializes the transactions that check and then count one try limit (`key`
            /// names it: `token:user:<ibm id>`, `link:account:<platform id>`, ...): the upsert
            /// takes the key's row lock on PostgreSQL until commit, so a second transaction
            /// with the same key waits and then sees the first one's rows. On SQLite every
            /// writing transaction already holds the database's write lock (`BEGIN IMMEDIATE`).
            async fn wf_lock_key(
                tx: &mut sqlx::Transaction<'static, $db>,
                key: &str,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO limit_locks (key, hits) VALUES ($1, 1) \
                     ON CONFLICT (key) DO UPDATE SET hits = limit_locks.hits + 1",
                )
                .bind(key)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn wf_audit(
                tx: &mut sqlx::Transaction<'static, $db>,
                actor: &$crate::store::audit::Actor,
                action: &str,
                subject: &str,
                detail: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor, channel, action, subject, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(at)
                .bind(&actor.who)
                .bind(&actor.channel)
                .bind(action)
                .bind(subject)
                .bind(detail)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn wf_enqueue_all(
                tx: &mut sqlx::Transaction<'static, $db>,
                msgs: &[$crate::store::outbox::NewOutboxMessage],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                let mut written = 0;
                for msg in msgs {
                    written += sqlx::query(
                        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                         locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10) \
                         ON CONFLICT (dedupe_key) DO NOTHING",
                    )
                    .bind(msg.channel.as_str())
                    .bind(&msg.recipient)
                    .bind(&msg.subject)
                    .bind(&msg.body_text)
                    .bind(&msg.body_html)
                    .bind(&msg.locale)
                    .bind(&msg.dedupe_key)
                    .bind(msg.not_before)
                    .bind(at)
                    .bind(&msg.payload)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
                }
                Ok(written)
            }

            async fn wf_is_apa(
                tx: &mut sqlx::Transaction<'static, $db>,
                person_id: i64,
                company_id: i64,
            ) -> $crate::store::error::StoreResult<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND company_id = $2 \
                     AND role = 'apa'",
                )
                .bind(person_id)
                .bind(company_id)
                .fetch_one(&mut **tx)
                .await?;
                Ok(n > 0)
            }

            /// The person with that IBM ID, created from `new` when missing.
            async fn wf_person_or_create(
                tx: &mut sqlx::Transaction<'static, $db>,
                new: &$crate::store::people::NewPerson,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<($crate::store::people::Person, bool)> {
                let ibm_id = new.ibm_id.to_lowercase();
                let existing: Option<$crate::store::people::Person> =
                    sqlx::query_as("SELECT * FROM people WHERE ibm_id = $1")
                        .bind(&ibm_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if let Some(person) = existing {
                    return Ok((person, false));
                }
                let person = sqlx::query_as(
                    "INSERT INTO people (ibm_id, name, locale, time_zone, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING *",
                )
                .bind(&ibm_id)
                .bind(&new.name)
                .bind(&new.locale)
                .bind(&new.time_zone)
                .bind(at)
                .fetch_one(&mut **tx)
                .await?;
                Ok((person, true))
            }

            /// Grants a role inside `tx`: an existing one gets the new location and level; a
            /// primary contact replaces the company's previous one. Returns the membership and
            /// whether it is new.
            async fn wf_grant(
                tx: &mut sqlx::Transaction<'static, $db>,
                grant: &$crate::store::people::RoleGrant,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<($crate::store::people::Membership, bool)> {
                if grant.role == $crate::store::people::Role::PrimaryContact {
                    // The previous holder stays a member: a grant never drops a membership.
                    let previous: Vec<$crate::store::people::Membership> = sqlx::query_as(
                        "DELETE FROM memberships WHERE company_id = $1 AND role = 'primary-contact' \
                         AND person_id <> $2 RETURNING *",
                    )
                    .bind(grant.company_id)
                    .bind(grant.person_id)
                    .fetch_all(&mut **tx)
                    .await?;
                    for old in previous {
                        let member: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM memberships WHERE person_id = $1 \
                             AND company_id = $2 AND role = 'member'",
                        )
                        .bind(old.person_id)
                        .bind(old.company_id)
                        .fetch_one(&mut **tx)
                        .await?;
                        if member == 0 {
                            sqlx::query(
                                "INSERT INTO memberships (person_id, company_id, location_id, \
                                 role, permission_level, created_at) \
                                 VALUES ($1, $2, $3, 'member', NULL, $4)",
                            )
                            .bind(old.person_id)
                            .bind(old.company_id)
                            .bind(old.location_id)
                            .bind(at)
                            .execute(&mut **tx)
                            .await?;
                        }
                    }
                }
                let existing: Option<$crate::store::people::Membership> = sqlx::query_as(
                    "SELECT * FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(grant.person_id)
                .bind(grant.role.as_str())
                .bind(grant.company_id)
                .fetch_optional(&mut **tx)
                .await?;
                match existing {
                    Some(m)
                        if (grant.location_id.is_none() || m.location_id == grant.location_id)
                            && (grant.permission_level.is_none()
                                || m.permission_level == grant.permission_level) =>
                    {
                        Ok((m, false))
                    }
                    Some(m) => {
                        let updated = sqlx::query_as(
                            "UPDATE memberships SET location_id = COALESCE($1, location_id), \
                             permission_level = COALESCE($2, permission_level) WHERE id = $3 \
                             RETURNING *",
                        )
                        .bind(grant.location_id)
                        .bind(&grant.permission_level)
                        .bind(m.id)
                        .fetch_one(&mut **tx)
                        .await?;
                        Ok((updated, false))
                    }
                    None => {
                        let inserted = sqlx::query_as(
                            "INSERT INTO memberships \
                             (person_id, company_id, location_id, role, permission_level, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                        )
                        .bind(grant.person_id)
                        .bind(grant.company_id)
                        .bind(grant.location_id)
                        .bind(grant.role.as_str())
                        .bind(&grant.permission_level)
                        .bind(at)
                        .fetch_one(&mut **tx)
                        .await?;
                        Ok((inserted, true))
                    }
                }
            }
        }
    };
}

pub(crate) use impl_sql_helpers;
