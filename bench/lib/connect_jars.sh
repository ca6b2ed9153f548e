# The Kafka Connect worker's jars for the connect rows of bench/run.sh
# (sourced, not run): fetched once into a cache outside the repo.
# shellcheck shell=bash

readonly CONNECT_POM=$BENCH_DIR/connect/pom.xml
CONNECT_VERSION=$(sed -n 's:.*<connect\.version>\(.*\)</connect\.version>.*:\1:p' "$CONNECT_POM")
readonly CONNECT_VERSION
# Beside scripts/services.sh's kafka-<version>, in the same cache.
readonly CONNECT_CACHE_DIR=${RDCONNECT_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/rdconnect}/connect-$CONNECT_VERSION
# A Maven repository of its own: every jar in it was downloaded for this cache,
# from Maven Central, with its published sha1 beside it; none comes from a
# ~/.m2 that may hold copies checked less strictly.
readonly CONNECT_MAVEN_REPO=$CONNECT_CACHE_DIR/repository
# The java -cp of the worker; holds the pom's digest on its first line, and is
# written only after a complete, checked fetch, so an interrupted fetch or an
# edited pom triggers a new one.
readonly CONNECT_CLASSPATH_FILE=$CONNECT_CACHE_DIR/classpath

connect_pom_digest() { sha256sum <"$CONNECT_POM" | cut -d' ' -f1; }

connect_jars_ready() {
	[[ -f $CONNECT_CLASSPATH_FILE ]] &&
		[[ $(head -n 1 "$CONNECT_CLASSPATH_FILE") == "$(connect_pom_digest)" ]]
}

# check_jar_sha1 JAR: JAR's sha1 is the one Maven Central published, which
# Maven stored beside it (`-C` already refused a mismatch while downloading;
# this also catches a jar damaged in the cache since).
check_jar_sha1() {
	local jar=$1 published actual
	if [[ ! -f $jar.sha1 ]]; then
		echo "bench: $jar has no .sha1 from Maven Central beside it" >&2
		return 1
	fi
	published=$(tr -d '[:space:]' <"$jar.sha1" | cut -c1-40)
	actual=$(sha1sum "$jar" | cut -d' ' -f1)
	if [[ $actual != "$published" ]]; then
		echo "bench: $jar has sha1 $actual, Maven Central published $published;" \
			"delete $CONNECT_CACHE_DIR and rerun" >&2
		return 1
	fi
}

# fetch_connect_jars: lets Maven resolve the pom's runtime dependencies
# (transitively, from their POMs) with strict checksums, checks each jar's
# sha1, then writes the classpath file.
fetch_connect_jars() {
	local classpath=$CONNECT_CACHE_DIR/classpath.partial log=$CONNECT_CACHE_DIR/mvn.log jar
	rm -f -- "$classpath" "$CONNECT_CLASSPATH_FILE"
	echo "bench: fetching Kafka Connect $CONNECT_VERSION jars into $CONNECT_CACHE_DIR" >&2
	# A copy of the pom, so that Maven leaves nothing (target/) in the repo.
	cp -- "$CONNECT_POM" "$CONNECT_CACHE_DIR/pom.xml"
	if ! timeout 900 mvn -q -B -C -Dmaven.repo.local="$CONNECT_MAVEN_REPO" \
		-f "$CONNECT_CACHE_DIR/pom.xml" dependency:build-classpath -DincludeScope=runtime \
		-Dmdep.outputFile="$classpath.mvn" >"$log" 2>&1; then
		tail -n 30 -- "$log" >&2
		echo "bench: Maven could not fetch the Kafka Connect $CONNECT_VERSION jars" \
			"(output above, all of it in $log); is Maven Central reachable?" >&2
		return 1
	fi
	local -a jars
	IFS=: read -r -a jars <"$classpath.mvn"
	for jar in "${jars[@]}"; do check_jar_sha1 "$jar" || return 1; done
	{
		connect_pom_digest
		cat -- "$classpath.mvn"
	} >"$classpath"
	rm -f -- "$classpath.mvn"
	mv -- "$classpath" "$CONNECT_CLASSPATH_FILE"
	echo "bench: ${#jars[@]} jars fetched, sha1 checked" >&2
}

# ensure_connect_jars: fetches the jars unless a complete fetch is cached, and
# sets CONNECT_CLASSPATH.
ensure_connect_jars() {
	if ! connect_jars_ready; then
		command -v mvn >/dev/null || {
			echo "bench: the connect rows need Maven: run scripts/bootstrap.sh" >&2
			return 1
		}
		mkdir -p -- "$CONNECT_CACHE_DIR"
		# Serialise concurrent bench runs, as scripts/lib/common.sh does for
		# the broker's jars.
		local lock_fd
		exec {lock_fd}>"$CONNECT_CACHE_DIR/.lock"
		flock "$lock_fd"
		connect_jars_ready || fetch_connect_jars || {
			exec {lock_fd}>&-
			return 1
		}
		exec {lock_fd}>&-
	fi
	# shellcheck disable=SC2034 # for connect.sh
	CONNECT_CLASSPATH=$(tail -n 1 "$CONNECT_CLASSPATH_FILE")
}
