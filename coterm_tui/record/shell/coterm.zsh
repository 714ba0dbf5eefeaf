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

__coterm_precmd() {
    local code=$?
    if [[ $__coterm_ran == 1 ]]; then
        printf '\e]133;D;%s\a' "$code"
        __coterm_ran=0
    fi
    __coterm_report_cwd "${HOST:-}"
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
