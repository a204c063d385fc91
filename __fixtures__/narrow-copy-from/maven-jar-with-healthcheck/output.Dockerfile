FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /workspace
COPY --from=build /workspace/target/*.jar /workspace/target/
COPY --from=build /workspace/config /workspace/config
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "target/orders.jar", "--spring.config.location=config/application.yml"]
