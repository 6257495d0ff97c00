#!/bin/sh
# Starts ${project.artifactId} from its runtime layout: lib/ holds its jar and every dependency, so nothing
# else is needed but a Java 17+ runtime ($JAVA_HOME/bin/java, or java on the PATH).
# JAVA_OPTS: JVM options (heap, GC). Configuration: environment variables (docs/getting-started.md).
DIR=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$JAVA_HOME" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
# exec: the JVM replaces this shell, so SIGTERM (docker stop, Ctrl-C, ./tiergate) reaches it directly
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec "$JAVA" $JAVA_OPTS -cp "$DIR/lib/*" ${exec.mainClass} "$@"
