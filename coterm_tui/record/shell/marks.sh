# coterm: the hook functions bash and zsh share (put in front of coterm.bash/coterm.zsh
# when a session starts). They print OSC 133;E (the command line, escaped: \\ \n \r
# \e \a), OSC 133;C and OSC 7 (the cwd, percent-encoded where it must be).

__coterm_escape() {  # $1: a command line; sets __coterm_reply
    local s=$1
    s=${s//\\/\\\\}
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    s=${s//$'\e'/\\e}
    s=${s//$'\a'/\\a}
    __coterm_reply=$s
}

__coterm_report_cwd() {  # $1: the host name
    local p=${PWD//\%/%25}
    p=${p//$'\n'/%0A}
    p=${p//$'\e'/%1B}
    p=${p//$'\a'/%07}
    printf '\e]7;file://%s%s\a' "$1" "$p"
}

__coterm_preexec() {  # $1: the command line about to run
    __coterm_escape "$1"
    printf '\e]133;E;%s\a\e]133;C\a' "$__coterm_reply"
    __coterm_ran=1
}
