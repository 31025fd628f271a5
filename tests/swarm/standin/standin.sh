#!/bin/sh
# The stand-in for every program of the real images (tests/swarm): each of
# /docker-entrypoint.sh, /usr/src/snuba/docker_entrypoint.sh, /bin/relay,
# /bin/symbolicator, /opt/taskbroker, nginx ... is a link to this script.
# It does not do the real work. It
#   - exits 0 for the one-shot commands (the migrations: upgrade,
#     bootstrap, migrations migrate; cleanup without --repeat), as a
#     successful run of the real one would;
#   - answers `healthcheck` (relay, symbolicator) with 0 while the main
#     process of the container runs, and 1 otherwise;
#   - otherwise runs until stopped, as a service does: it serves the
#     health URLs the stacks' healthchecks fetch (busybox httpd on the
#     service's port: web 9000 /_health/, snuba api 1218 /health, nginx
#     8080 /_nginx/ping, where our nginx.conf listens) and touches
#     /tmp/health.txt every 10 s, as the real consumers do with
#     --health-check-file (the healthchecks read its age).
# What it saw goes to stdout (docker service logs) and /tmp/standin.txt.
prog=${0##*/}
echo "stand-in $prog: $*" | tee -a /tmp/standin.txt
case " $* " in
*" healthcheck "*)
	pid=$(cat /tmp/standin.pid 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
	exit $?
	;;
*" upgrade "* | *" bootstrap "* | *" migrate "* | *" createuser "*)
	echo "stand-in $prog: one-shot command done"
	exit 0
	;;
*" cleanup "*)
	case " $* " in
	*" --repeat "*) ;;
	*) echo "stand-in $prog: one-shot command done"; exit 0 ;;
	esac
	;;
esac
echo $$ >/tmp/standin.pid
port=""
case " $* " in
*" run web "* | *" web "*) port=9000 ;;
*" api "*) port=1218 ;;
esac
[ "$prog" = nginx ] && port=8080
case " $* " in *" nginx "*) port=8080 ;; esac
[ -n "$port" ] && httpd -p "$port" -h /www
trap 'exit 0' TERM INT
while :; do
	touch /tmp/health.txt
	sleep 10 &
	wait $!
done
