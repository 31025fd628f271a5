# bash completion for sentry-ha-setup                     -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/sentry-ha-setup,
# where bash-completion loads it on first use; `source` it to try it out.
# It needs nothing of bash-completion itself.
#
# The commands and their options are those of each command's --help
# (tests/install/test-completion.sh holds them to it). What depends on the
# deployment is asked of the binary being completed: the releases
# (`profiles`) for --to, and for explain the rule ids and the services of
# the answers given by -a (`explain --names`, hidden), which reads no
# secret and contacts nothing.

# The words that a command's option takes a value after.
_sentry_ha_setup_takes_value()
{
	case $1 in
	-a | --answers | -o | --output | --target | --secrets-from | \
	    -t | --timeout | --only | -j | --jobs | --to | --digests | \
	    --platform | --host | --remote-dir) return 0 ;;
	esac
	return 1
}

# The value of -a/--answers on the command line, tilde expanded, or
# ./sentry-ha.yaml, the default.
_sentry_ha_setup_answers()
{
	local i w next answers=./sentry-ha.yaml
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		next=${COMP_WORDS[i + 1]-}
		case $w in
		-a | --answers)
			# --answers=FILE comes as three words when = breaks
			# words (COMP_WORDBREAKS).
			if [[ $next == = ]]; then
				((i + 2 < COMP_CWORD)) && answers=${COMP_WORDS[i + 2]}
			elif ((i + 1 < COMP_CWORD)); then
				answers=$next
			fi
			;;
		--answers=?*) answers=${w#--answers=} ;;
		-a?*) answers=${w#-a} ;;
		esac
	done
	[[ $answers == \~/* ]] && answers=$HOME/${answers#\~/}
	printf '%s\n' "$answers"
}

# _sentry_ha_setup_words CUR [COMPGEN-OPTION...]: COMPREPLY, one reply a
# line of compgen (never split at spaces, never globbed).
_sentry_ha_setup_words()
{
	local cur=$1
	shift
	mapfile -t COMPREPLY < <(compgen "$@" -- "$cur")
}

_sentry_ha_setup_files()	# _sentry_ha_setup_files CUR dirs|yaml|json
{
	if [[ $2 == dirs ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$1")
	elif [[ $2 == json ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$1"
		    compgen -f -X '!*.json' -- "$1")
	else
		mapfile -t COMPREPLY < <(compgen -d -- "$1"
		    compgen -f -X '!*.yaml' -- "$1"
		    compgen -f -X '!*.yml' -- "$1")
	fi
	# Folders go on (no space after a/), and names with spaces stay
	# whole.
	compopt -o filenames 2>/dev/null
	if [[ ${#COMPREPLY[@]} -eq 1 && -d ${COMPREPLY[0]} ]]; then
		compopt -o nospace 2>/dev/null
	fi
}

_sentry_ha_setup()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' pre=''
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=VALUE: = is a word of its own when it breaks words (bash's
	# COMP_WORDBREAKS has it); otherwise the word is split here, and the
	# replies keep the --opt= that they replace.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
		pre=$prev=
	fi
	COMPREPLY=()
	_sentry_ha_setup_reply "$cur" "$prev"
	if [[ -n $pre ]]; then
		COMPREPLY=("${COMPREPLY[@]/#/$pre}")
	fi
	return 0
}

# _sentry_ha_setup_reply CUR PREV: COMPREPLY for the word CUR after PREV.
_sentry_ha_setup_reply()
{
	local cur=$1 prev=$2 bin=${COMP_WORDS[0]} cmd='' opts='' IFS=$' \t\n'
	[[ $bin == \~/* ]] && bin=$HOME/${bin#\~/}

	if ((COMP_CWORD <= 1)); then
		if [[ $cur == -* ]]; then
			_sentry_ha_setup_words "$cur" -W '--help --version'
		else
			_sentry_ha_setup_words "$cur" -W 'wizard generate check
			    explain deploy bundle upgrade profiles'
		fi
		return 0
	fi
	cmd=${COMP_WORDS[1]-}

	case $prev in
	-a | --answers)
		_sentry_ha_setup_files "$cur" yaml
		return 0
		;;
	-o | --output | --secrets-from)
		_sentry_ha_setup_files "$cur" dirs
		return 0
		;;
	--target)
		_sentry_ha_setup_words "$cur" -W 'kubernetes swarm'
		return 0
		;;
	--digests)
		_sentry_ha_setup_files "$cur" json
		return 0
		;;
	--platform)
		_sentry_ha_setup_words "$cur" -W 'linux/amd64 linux/arm64'
		return 0
		;;
	--to)
		_sentry_ha_setup_words "$cur" -W "$("$bin" profiles 2>/dev/null |
		    awk 'NR > 1 && $1 ~ /^[0-9]/ { print $1 }')"
		return 0
		;;
	--only)
		# A comma-separated list: complete its last item.
		local head='' item=$cur
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			item=${cur##*,}
		fi
		_sentry_ha_setup_words "$item" -P "$head" -W 'postgres redis kafka
		    zookeeper clickhouse memcached smtp s3 gcs nfs ssh registry share'
		compopt -o nospace 2>/dev/null
		return 0
		;;
	-t | --timeout | -j | --jobs)
		return 0	# a number
		;;
	--host | --remote-dir)
		return 0	# a name of the answers', a path on that host
		;;
	esac

	case $cmd in
	wizard) opts='-a --answers -o --output -h --help' ;;
	generate)
		opts='-a --answers -o --output --target --force --secrets-from
		    --digests -h --help'
		;;
	deploy)
		opts='-a --answers -o --output --host --remote-dir -n --dry-run
		    -y --yes --accept-new -t --timeout -h --help'
		;;
	bundle)
		opts='-a --answers -o --output --to --platform -h --help'
		;;
	check)
		opts='-a --answers --offline -t --timeout --only -j --jobs
		    --secrets-from --accept-new --json -v --verbose -h --help'
		;;
	explain) opts='-a --answers -h --help' ;;
	upgrade)
		opts='--to -a --answers -o --output --offline --json -t --timeout
		    --backup-done --verify -h --help'
		;;
	profiles) opts='-h --help' ;;
	*) return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		_sentry_ha_setup_words "$cur" -W "$opts"
		return 0
	fi
	# explain takes one operand: a rule id or a service of the answers.
	if [[ $cmd == explain ]]; then
		local i w operand=0
		for ((i = 2; i < COMP_CWORD; i++)); do
			w=${COMP_WORDS[i]}
			if [[ $w == = ]]; then
				((i++))	# --answers = FILE
			elif [[ $w == -* ]]; then
				_sentry_ha_setup_takes_value "$w" &&
				    [[ ${COMP_WORDS[i + 1]-} != = ]] && ((i++))
			else
				operand=1
			fi
		done
		((operand)) && return 0
		_sentry_ha_setup_words "$cur" -W "$("$bin" explain --names \
		    -a "$(_sentry_ha_setup_answers)" 2>/dev/null)"
	fi
	return 0
}
complete -F _sentry_ha_setup sentry-ha-setup
