# coterm shell integration for bash. Loaded with `bash --rcfile <this file>`,
# so the user's dotfiles are never edited: it first reads ~/.bashrc as an
# interactive bash would (bash itself has already read /etc/bash.bashrc), then
# adds hooks that print OSC 133 marks (A prompt, B input, E command line,
# C start, D end;status) and OSC 7 (cwd). Works beside bash-preexec, an
# existing DEBUG trap, PROMPT_COMMAND as a string or an array, and starship.

if [ -z "${__coterm_loaded:-}" ]; then
__coterm_loaded=1

if [ -r "${COTERM_BASHRC:-$HOME/.bashrc}" ]; then
    . "${COTERM_BASHRC:-$HOME/.bashrc}"
fi

__coterm_ran=0        # a command started since the last prompt
__coterm_at_prompt=0  # the next DEBUG trap is the user's command line
__coterm_histnum=""   # history number of the last line reported

__coterm_precmd() {
    local status=$?
    __coterm_at_prompt=0
    if [ "$__coterm_ran" = 1 ]; then
        printf '\e]133;D;%s\a' "$status"
        __coterm_ran=0
    fi
    __coterm_report_cwd "${HOSTNAME:-}"
    return $status
}

__coterm_prompt() {  # runs last before the prompt: mark it, and the end of it in PS1
    local status=$?
    printf '\e]133;A\a'
    case "$PS1" in
        *'133;B'*) ;;
        *) PS1="$PS1"'\[\e]133;B\a\]' ;;
    esac
    if [ -z "$__coterm_histnum" ]; then  # first prompt: history is loaded now
        __coterm_line
        : "${__coterm_histnum:=0}"
    fi
    __coterm_at_prompt=1
    return $status
}

__coterm_line() {  # the line just entered: from history when it was saved, else BASH_COMMAND
    local h
    h=$(HISTTIMEFORMAT='' builtin history 1 2>/dev/null)
    if [[ $h =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ ]] \
            && [ "${BASH_REMATCH[1]}" != "$__coterm_histnum" ]; then
        __coterm_histnum=${BASH_REMATCH[1]}
        __coterm_cmdline=${BASH_REMATCH[2]}
    else
        __coterm_cmdline=$BASH_COMMAND
    fi
}

__coterm_debug() {
    [ "$__coterm_at_prompt" = 1 ] || return 0
    case "$BASH_COMMAND" in
        __coterm_precmd*|__coterm_prompt*) return 0 ;;
    esac
    __coterm_at_prompt=0
    __coterm_line
    __coterm_preexec "$__coterm_cmdline"
}

if [ -n "${bash_preexec_imported:-}${__bp_imported:-}" ]; then
    # bash-preexec owns the DEBUG trap and PROMPT_COMMAND: join its hook lists.
    __coterm_bp_preexec() { __coterm_preexec "$1"; }
    preexec_functions+=(__coterm_bp_preexec)
    precmd_functions=(__coterm_precmd "${precmd_functions[@]}" __coterm_prompt)
else
    __coterm_old_debug=$(trap -p DEBUG)
    __coterm_old_debug=${__coterm_old_debug#"trap -- '"}
    __coterm_old_debug=${__coterm_old_debug%"' DEBUG"}
    if [ -n "$__coterm_old_debug" ]; then
        trap '__coterm_debug; eval "$__coterm_old_debug"' DEBUG
    else
        trap '__coterm_debug' DEBUG
    fi
    if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
        PROMPT_COMMAND=(__coterm_precmd "${PROMPT_COMMAND[@]}" __coterm_prompt)
    else
        PROMPT_COMMAND="__coterm_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}"$'\n'"__coterm_prompt"
    fi
fi
fi
