# The access node, for docker-compose.yml. Data nodes are stock PostgreSQL images.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:25-jre
WORKDIR /opt/timeshard
COPY --from=build /src/access-node/target/timeshard-cli.jar ./
COPY --from=build /src/access-node/target/lib ./lib
EXPOSE 6432
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "timeshard-cli.jar"]
