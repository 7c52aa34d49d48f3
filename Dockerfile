# Build: Maven with JDK 17
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -Dmaven.test.skip=true

# Run: a JRE with the one runnable jar, the configuration and the YAML routes beside it
FROM eclipse-temurin:17-jre
RUN useradd --system --home /app hub
WORKDIR /app
COPY --from=build /src/target/backup-hub.jar /app/backup-hub.jar
COPY config /app/config
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R hub /app/data
USER hub
VOLUME /app/data
EXPOSE 8080
# every property can be set by an environment variable (hub.cloud66.token -> HUB_CLOUD66_TOKEN)
ENTRYPOINT ["java", "-jar", "/app/backup-hub.jar"]
