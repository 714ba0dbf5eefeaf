# coterm: the .zshenv of a temporary ZDOTDIR. Read the user's own .zshenv from
# their ZDOTDIR, then point ZDOTDIR back here so zsh reads coterm's .zshrc,
# which restores the user's ZDOTDIR before anything else.
__coterm_zdotdir=$ZDOTDIR
ZDOTDIR=${COTERM_USER_ZDOTDIR:-$HOME}
if [[ -r "$ZDOTDIR/.zshenv" ]]; then
    source "$ZDOTDIR/.zshenv"
fi
if [[ -o interactive ]]; then
    export COTERM_USER_ZDOTDIR=$ZDOTDIR
    ZDOTDIR=$__coterm_zdotdir
fi
unset __coterm_zdotdir
