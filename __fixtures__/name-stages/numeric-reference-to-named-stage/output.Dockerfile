FROM maven:3.9-eclipse-temurin-21 AS builder
COPY . /src
RUN mvn -f /src/pom.xml package
FROM eclipse-temurin:21-jre AS runtime
COPY --from=builder /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
