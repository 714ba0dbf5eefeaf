# coterm shell integration for fish, loaded with `fish --init-command`:
# OSC 133 marks (A, E command line, C, D;status) and OSC 7 (cwd).

function __coterm_escape
    string replace -a '\\' '\\\\' -- $argv | string replace -a \n '\\n' | string replace -a \e '\\e' | string replace -a \a '\\a'
end

function __coterm_preexec --on-event fish_preexec
    printf '\e]133;E;%s\a\e]133;C\a' (string join '\n' (__coterm_escape $argv))
    set -g __coterm_ran 1
end

function __coterm_postexec --on-event fish_postexec
    set -l code $status
    if test "$__coterm_ran" = 1
        printf '\e]133;D;%s\a' $code
        set -g __coterm_ran 0
    end
end

function __coterm_prompt --on-event fish_prompt
    printf '\e]7;file://%s%s\a\e]133;A\a' $hostname (string replace -a '%' '%25' -- $PWD)
end
