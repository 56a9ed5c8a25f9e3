# partnerdesk container image: `docker build -t partnerdesk .`
# Runs as a non-root user; state (SQLite file, .eml mail) in /var/lib/partnerdesk; health from
# /readyz. Secrets come from the environment (PARTNERDESK_DISCORD__TOKEN, ...), never the image.

FROM rust:1.89-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY crates crates
COPY src src
COPY benches benches
COPY locales locales
COPY migrations migrations
RUN cargo build --release --locked --bin partnerdesk

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/partnerdesk --create-home partnerdesk
COPY --from=build /src/target/release/partnerdesk /usr/local/bin/partnerdesk
USER partnerdesk
WORKDIR /var/lib/partnerdesk
ENV PARTNERDESK_HTTP__LISTEN=0.0.0.0:8080 \
    PARTNERDESK_DATABASE__URL=sqlite:///var/lib/partnerdesk/partnerdesk.db \
    PARTNERDESK_MAIL__DIR=/var/lib/partnerdesk/mail \
    PARTNERDESK_LOG__FORMAT=json
VOLUME /var/lib/partnerdesk
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/partnerdesk"]
CMD ["run"]
