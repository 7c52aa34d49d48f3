# Build: Maven with JDK 17. The jar carries the defaults (config/*.properties, routes/*.yaml) as resources.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
COPY routes routes
# the README's package command; an image needs the test sources neither compiled nor run, nor the build's
# class-data-sharing archive (it belongs to the build stage's JDK: the image writes its own below)
RUN mvn -B -q package -Dmaven.test.skip=true -Dcds.skip=true

# Run: a JRE with the one runnable jar; data under /app/data (a volume). A file mounted at
# /app/config/application.properties or a folder at /app/routes is read on top of the jar's defaults.
FROM eclipse-temurin:17-jre
RUN useradd --system --home /app hub
WORKDIR /app
COPY --from=build /src/target/backup-hub.jar /app/backup-hub.jar
COPY jvm.options /app/jvm.options
# a class-data-sharing archive of the classes the hub loads to start, written by one run of it (a hub that stops itself
# 5 seconds after it is ready) and mapped by every start of the image's JVM instead of loading and verifying those
# classes again: start-up about a third shorter, and the archive's classes are shared between containers
RUN mkdir -p /tmp/cds && cd /tmp/cds \
    && HUB_DATA_DIR=/tmp/cds/data java @/app/jvm.options -XX:ArchiveClassesAtExit=/app/backup-hub.jsa \
        -Dcamel.main.duration-max-seconds=5 -jar /app/backup-hub.jar >/tmp/cds/run.log 2>&1 \
    ; test -s /app/backup-hub.jsa || { cat /tmp/cds/run.log; exit 1; } \
    ; rm -rf /tmp/cds
RUN mkdir -p /app/data && chown -R hub /app/data
USER hub
VOLUME /app/data
EXPOSE 8080
# the JRE image has no curl: bash's /dev/tcp asks /observe/health/live and wants a 200
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HUB_API_PORT:-8080} && printf 'GET /observe/health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# every property can be set by an environment variable (hub.cloud66.token -> HUB_CLOUD66_TOKEN);
# SIGTERM (docker stop) stops the hub gracefully with exit code 0
# JVM options: /app/jvm.options, then JAVA_OPTS (which wins: -e JAVA_OPTS=-Xmx1g); the shell execs java, which gets
# the signals; arguments after the image name go to the hub (--demo)
ENV JAVA_OPTS=""
ENTRYPOINT ["sh", "-c", "exec java @/app/jvm.options -XX:SharedArchiveFile=/app/backup-hub.jsa $JAVA_OPTS -jar /app/backup-hub.jar \"$@\"", "backup-hub"]
