# coterm shell integration for zsh: the .zshrc of a temporary ZDOTDIR.
# It reads the user's real startup files from their own ZDOTDIR (or $HOME),
# then adds precmd/preexec hooks with add-zsh-hook that print OSC 133 marks
# (A, B, E command line, C, D;status) and OSC 7 (cwd).

ZDOTDIR=${COTERM_USER_ZDOTDIR:-$HOME}
unset COTERM_USER_ZDOTDIR
if [[ -r "$ZDOTDIR/.zshrc" ]]; then
    source "$ZDOTDIR/.zshrc"
fi

typeset -g __coterm_ran=0

__coterm_escape() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    s=${s//$'\e'/\\e}
    s=${s//$'\a'/\\a}
    REPLY=$s
}

__coterm_preexec() {
    __coterm_escape "$1"
    printf '\e]133;E;%s\a\e]133;C\a' "$REPLY"
    __coterm_ran=1
}

__coterm_precmd() {
    local code=$?
    if [[ $__coterm_ran == 1 ]]; then
        printf '\e]133;D;%s\a' "$code"
        __coterm_ran=0
    fi
    local p=${PWD//\%/%25}
    printf '\e]7;file://%s%s\a' "${HOST:-}" "$p"
    return $code
}

__coterm_prompt() {
    printf '\e]133;A\a'
    [[ $PS1 == *'133;B'* ]] || PS1="$PS1"$'%{\e]133;B\a%}'
}

autoload -Uz add-zsh-hook
add-zsh-hook preexec __coterm_preexec
precmd_functions=(__coterm_precmd ${precmd_functions[@]:#__coterm_precmd})
add-zsh-hook precmd __coterm_prompt
