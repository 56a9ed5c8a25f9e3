//! The one SQL implementation of `Store`, instantiated for each backend by `impl_sql_store!`.
//!
//! Statements use `$N` placeholders and `ON CONFLICT`/`RETURNING`, which SQLite (3.35+) and
//! PostgreSQL share. A type using the macro provides `self.pool` and `self.migrator()`.

macro_rules! impl_sql_store {
    ($store:ty, $db:ty, $backend:expr, lock_clause = $lock_clause:literal) => {
        impl $store {
            /// `UPDATE outbox SET <set> WHERE status = 'pending' AND lease_owner = owner AND id
            /// IN (ids)`, 500 ids per statement: only rows still leased to `owner` change.
            /// `set` writes the SET clause (with its binds) after `UPDATE outbox SET `.
            async fn update_leased_outbox(
                &self,
                ids: &[i64],
                owner: &str,
                set: impl Fn(&mut sqlx::QueryBuilder<'_, $db>),
            ) -> $crate::store::StoreResult<u64> {
                let mut done = 0;
                for chunk in ids.chunks(500) {
                    let mut update = sqlx::QueryBuilder::<$db>::new("UPDATE outbox SET ");
                    set(&mut update);
                    update.push(" WHERE status = 'pending' AND lease_owner = ");
                    update.push_bind(owner);
                    update.push(" AND id IN (");
                    let mut list = update.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    update.push(")");
                    done += update.build().execute(&self.pool).await?.rows_affected();
                }
                Ok(done)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn backend(&self) -> $crate::store::Backend {
                $backend
            }

            async fn ping(&self) -> $crate::store::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn migrate(&self) -> $crate::store::StoreResult<Vec<String>> {
                let migrator = Self::migrator();
                let before: std::collections::HashSet<i64> = self.applied_versions().await?;
                migrator
                    .run(&self.pool)
                    .await
                    .map_err(|e| $crate::store::StoreError::Migrate(e.to_string()))?;
                Ok(migrator
                    .iter()
                    .filter(|m| !before.contains(&m.version))
                    .map(|m| format!("{}_{}", m.version, m.description))
                    .collect())
            }

            async fn is_migrated(&self) -> $crate::store::StoreResult<bool> {
                let applied = self.applied_versions().await?;
                Ok(Self::migrator().iter().all(|m| applied.contains(&m.version)))
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            async fn create_company(
                &self,
                new: &$crate::store::NewCompany,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Company> {
                Ok(sqlx::query_as(
                    "INSERT INTO companies (name, icn, site_number, status, locale, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(&new.name)
                .bind(&new.icn)
                .bind(&new.site_number)
                .bind(&new.status)
                .bind(&new.locale)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn company(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::Company>> {
                Ok(sqlx::query_as("SELECT * FROM companies WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_companies(
                &self,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Company>> {
                Ok(sqlx::query_as("SELECT * FROM companies ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn create_location(
                &self,
                company_id: i64,
                name: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Location> {
                Ok(sqlx::query_as(
                    "INSERT INTO locations (company_id, name, created_at) VALUES ($1, $2, $3) \
                     RETURNING *",
                )
                .bind(company_id)
                .bind(name)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn locations(
                &self,
                company_id: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Location>> {
                Ok(
                    sqlx::query_as("SELECT * FROM locations WHERE company_id = $1 ORDER BY id")
                        .bind(company_id)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn upsert_person(
                &self,
                new: &$crate::store::NewPerson,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Person> {
                Ok(sqlx::query_as(
                    "INSERT INTO people (ibm_id, name, locale, time_zone, created_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (ibm_id) DO UPDATE SET name = excluded.name, \
                     locale = excluded.locale, time_zone = excluded.time_zone \
                     RETURNING *",
                )
                .bind(new.ibm_id.to_lowercase())
                .bind(&new.name)
                .bind(&new.locale)
                .bind(&new.time_zone)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn person_by_ibm_id(
                &self,
                ibm_id: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE ibm_id = $1")
                    .bind(ibm_id.to_lowercase())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn grant_role(
                &self,
                grant: &$crate::store::RoleGrant,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Membership> {
                let mut tx = self.pool.begin().await?;
                let existing: Option<$crate::store::Membership> = sqlx::query_as(
                    "SELECT * FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(grant.person_id)
                .bind(grant.role.as_str())
                .bind(grant.company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let membership = match existing {
                    Some(m) => m,
                    None => {
                        sqlx::query_as(
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
                        .fetch_one(&mut *tx)
                        .await?
                    }
                };
                tx.commit().await?;
                Ok(membership)
            }

            async fn revoke_role(
                &self,
                person_id: i64,
                role: $crate::store::Role,
                company_id: Option<i64>,
            ) -> $crate::store::StoreResult<bool> {
                let done = sqlx::query(
                    "DELETE FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(person_id)
                .bind(role.as_str())
                .bind(company_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn memberships_of(
                &self,
                person_id: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Membership>> {
                Ok(
                    sqlx::query_as("SELECT * FROM memberships WHERE person_id = $1 ORDER BY id")
                        .bind(person_id)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn upsert_contract(
                &self,
                c: &$crate::store::NewContract,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::UpsertOutcome> {
                let outcomes = self.upsert_contracts(std::slice::from_ref(c), at).await?;
                outcomes.into_iter().next().ok_or_else(|| {
                    $crate::store::StoreError::Invalid("no outcome for one contract".into())
                })
            }

            async fn contract(
                &self,
                id: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::Contract>> {
                Ok(sqlx::query_as("SELECT * FROM contracts WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn enqueue(
                &self,
                msg: &$crate::store::NewOutboxMessage,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Enqueued> {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                     locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10) \
                     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
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
                .fetch_optional(&self.pool)
                .await?;
                Ok(match id {
                    Some(id) => $crate::store::Enqueued::New(id),
                    None => $crate::store::Enqueued::Duplicate,
                })
            }

            async fn outbox_messages(
                &self,
                status: Option<$crate::store::OutboxStatus>,
                limit: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::OutboxMessage>> {
                Ok(sqlx::query_as(
                    "SELECT id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at \
                     FROM outbox WHERE ($1 IS NULL OR status = $1) ORDER BY id LIMIT $2",
                )
                .bind(status.map(|s| s.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn claim_outbox(
                &self,
                owner: &str,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
                limit: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::OutboxMessage>> {
                Ok(sqlx::query_as(concat!(
                    "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' \
                     AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) \
                     ORDER BY next_attempt_at, id LIMIT $4",
                    $lock_clause,
                    ") RETURNING id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at"
                ))
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn mark_outbox_sent(
                &self,
                ids: &[i64],
                owner: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<u64> {
                // One statement per 500 ids: the dispatcher's hot path.
                self.update_leased_outbox(ids, owner, |update| {
                    update.push(
                        "status = 'sent', lease_owner = NULL, lease_until = NULL, \
                         last_error = NULL, sent_at = ",
                    );
                    update.push_bind(at);
                })
                .await
            }

            async fn release_outbox(
                &self,
                ids: &[i64],
                owner: &str,
            ) -> $crate::store::StoreResult<u64> {
                self.update_leased_outbox(ids, owner, |update| {
                    update.push("lease_owner = NULL, lease_until = NULL, attempts = attempts - 1");
                })
                .await
            }

            async fn mark_outbox_retry(
                &self,
                id: i64,
                owner: &str,
                next_attempt_at: chrono::DateTime<chrono::Utc>,
                error: &str,
            ) -> $crate::store::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $1, last_error = $2, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $3 AND lease_owner = $4 AND status = 'pending'",
                )
                .bind(next_attempt_at)
                .bind(error)
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn mark_outbox_dead(
                &self,
                id: i64,
                owner: &str,
                error: &str,
            ) -> $crate::store::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET status = 'dead', last_error = $1, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $2 AND lease_owner = $3 AND status = 'pending'",
                )
                .bind(error)
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn retry_dead_outbox(
                &self,
                id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 \
                     WHERE id = $2 AND status = 'dead'",
                )
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn purge_outbox(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<u64> {
                let done = sqlx::query(
                    "DELETE FROM outbox WHERE status IN ('sent', 'dead') AND created_at < $1",
                )
                .bind(before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn outbox_message(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::OutboxMessage>> {
                Ok(sqlx::query_as(
                    "SELECT id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at \
                     FROM outbox WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn enqueue_many(
                &self,
                msgs: &[$crate::store::NewOutboxMessage],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<u64> {
                // Multi-row inserts: one statement per 500 messages (11 binds each stays far
                // below both databases' parameter limits).
                let mut written = 0;
                let mut tx = self.pool.begin().await?;
                for chunk in msgs.chunks(500) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                         locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) ",
                    );
                    insert.push_values(chunk, |mut row, msg| {
                        row.push_bind(msg.channel.as_str())
                            .push_bind(&msg.recipient)
                            .push_bind(&msg.subject)
                            .push_bind(&msg.body_text)
                            .push_bind(&msg.body_html)
                            .push_bind(&msg.locale)
                            .push_bind(&msg.dedupe_key)
                            .push_bind("pending")
                            .push_bind(0_i32)
                            .push_bind(msg.not_before)
                            .push_bind(at)
                            .push_bind(&msg.payload);
                    });
                    insert.push(" ON CONFLICT (dedupe_key) DO NOTHING");
                    written += insert.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            async fn upsert_contracts(
                &self,
                contracts: &[$crate::store::NewContract],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<Vec<$crate::store::UpsertOutcome>> {
                use $crate::store::UpsertOutcome;
                let mut outcomes = Vec::with_capacity(contracts.len());
                let mut tx = self.pool.begin().await?;
                for c in contracts {
                    // Insert, or update only when something changed. A new renewal date is a new
                    // renewal cycle: an acknowledgement of the old one (quoted, renewed, lost)
                    // no longer holds, so the contract is open and reminded again.
                    let existed: Option<bool> = sqlx::query_scalar(
                        "SELECT TRUE FROM contracts WHERE id = $1",
                    )
                    .bind(&c.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let changed = sqlx::query(
                        "INSERT INTO contracts (id, company, product, renewal_date, \
                         sales_rep_email, sales_rep_name, sales_rep_lang, sales_rep_tz, status, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) \
                         ON CONFLICT (id) DO UPDATE SET company = excluded.company, \
                         product = excluded.product, renewal_date = excluded.renewal_date, \
                         sales_rep_email = excluded.sales_rep_email, \
                         sales_rep_name = excluded.sales_rep_name, \
                         sales_rep_lang = excluded.sales_rep_lang, \
                         sales_rep_tz = excluded.sales_rep_tz, updated_at = excluded.updated_at, \
                         status = CASE WHEN contracts.renewal_date <> excluded.renewal_date \
                                  THEN 'open' ELSE contracts.status END \
                         WHERE contracts.company <> excluded.company \
                         OR contracts.product <> excluded.product \
                         OR contracts.renewal_date <> excluded.renewal_date \
                         OR contracts.sales_rep_email <> excluded.sales_rep_email \
                         OR contracts.sales_rep_name <> excluded.sales_rep_name \
                         OR contracts.sales_rep_lang <> excluded.sales_rep_lang \
                         OR contracts.sales_rep_tz <> excluded.sales_rep_tz",
                    )
                    .bind(&c.id)
                    .bind(&c.company)
                    .bind(&c.product)
                    .bind(c.renewal_date)
                    .bind(&c.sales_rep_email)
                    .bind(&c.sales_rep_name)
                    .bind(&c.sales_rep_lang)
                    .bind(&c.sales_rep_tz)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    outcomes.push(match (existed.is_some(), changed > 0) {
                        (false, _) => UpsertOutcome::Inserted,
                        (true, true) => UpsertOutcome::Updated,
                        (true, false) => UpsertOutcome::Unchanged,
                    });
                }
                tx.commit().await?;
                Ok(outcomes)
            }

            async fn open_contracts_renewing_between(
                &self,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Contract>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM contracts WHERE status = 'open' \
                     AND renewal_date >= $1 AND renewal_date <= $2 ORDER BY renewal_date, id",
                )
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn set_contract_status(
                &self,
                id: &str,
                status: $crate::store::ContractStatus,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<Option<$crate::store::Contract>> {
                Ok(sqlx::query_as(
                    "UPDATE contracts SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *",
                )
                .bind(status.as_str())
                .bind(at)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn pending_join_requests(
                &self,
            ) -> $crate::store::StoreResult<Vec<$crate::store::PendingJoin>> {
                Ok(sqlx::query_as(
                    "SELECT j.id, j.company_id, c.name AS company_name, l.name AS location_name, \
                     p.name AS person_name, p.ibm_id AS person_ibm_id, j.created_at \
                     FROM join_requests j JOIN companies c ON c.id = j.company_id \
                     JOIN locations l ON l.id = j.location_id JOIN people p ON p.id = j.person_id \
                     WHERE j.status = 'pending' ORDER BY j.id",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn people_with_role(
                &self,
                role: $crate::store::Role,
                company_id: Option<i64>,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Person>> {
                Ok(sqlx::query_as(
                    "SELECT p.* FROM people p JOIN memberships m ON m.person_id = p.id \
                     WHERE m.role = $1 AND COALESCE(m.company_id, 0) = COALESCE($2, 0) ORDER BY p.id",
                )
                .bind(role.as_str())
                .bind(company_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn purge_job_runs(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM job_runs WHERE scheduled_for < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }

            async fn claim_job_fire(
                &self,
                job: &str,
                scheduled_for: chrono::DateTime<chrono::Utc>,
                claimed_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<bool> {
                // A fire whose run failed, or whose claimant vanished mid-run an hour ago, may
                // be claimed again: jobs are idempotent (dedupe keys), so a rerun only fills in
                // what the failed one did not write.
                let stale_before = at - chrono::Duration::hours(1);
                let done = sqlx::query(
                    "INSERT INTO job_runs (job, scheduled_for, claimed_by, started_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (job, scheduled_for) DO UPDATE \
                     SET claimed_by = excluded.claimed_by, started_at = excluded.started_at, \
                         finished_at = NULL, outcome = NULL, detail = NULL \
                     WHERE job_runs.outcome = 'error' \
                        OR (job_runs.finished_at IS NULL AND job_runs.started_at <= $5)",
                )
                .bind(job)
                .bind(scheduled_for)
                .bind(claimed_by)
                .bind(at)
                .bind(stale_before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn finish_job_fire(
                &self,
                job: &str,
                scheduled_for: chrono::DateTime<chrono::Utc>,
                outcome: &str,
                detail: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<()> {
                sqlx::query(
                    "UPDATE job_runs SET finished_at = $1, outcome = $2, detail = $3 \
                     WHERE job = $4 AND scheduled_for = $5",
                )
                .bind(at)
                .bind(outcome)
                .bind(detail)
                .bind(job)
                .bind(scheduled_for)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn last_job_run(
                &self,
                job: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::JobRun>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM job_runs WHERE job = $1 ORDER BY scheduled_for DESC LIMIT 1",
                )
                .bind(job)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn append_audit(
                &self,
                entry: &$crate::store::NewAuditEntry,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO audit_log (at, actor, channel, action, subject, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(at)
                .bind(&entry.actor)
                .bind(&entry.channel)
                .bind(&entry.action)
                .bind(&entry.subject)
                .bind(&entry.detail)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn audit_entries(
                &self,
                limit: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::AuditEntry>> {
                Ok(
                    sqlx::query_as("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1")
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }
        }
    };
}

pub(crate) use impl_sql_store;
