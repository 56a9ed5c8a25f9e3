# Limits that hold under concurrency (issue 14).
wf-chat-token-paused = Too many wrong company tokens were entered recently. Company token entry is paused for everyone until { $until }; your company's profile administrator can also add you directly.
wf-chat-register-too-many = You already have { $max } registrations waiting for review. Please wait until one of them is completed or rejected before registering another company.
