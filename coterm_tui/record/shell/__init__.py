"""Shell integration without touching dotfiles: how to start each shell with coterm's hooks.

* bash: ``bash --rcfile <coterm.bash> -i``; the rc file reads ``~/.bashrc``
  first (bash reads ``/etc/bash.bashrc`` on its own).
* zsh: ``ZDOTDIR`` points at a private directory whose ``.zshenv``/``.zshrc``
  read the user's real ones (from their ``ZDOTDIR`` or ``$HOME``) first.
* fish: ``fish --init-command 'source <coterm.fish>'``.

Anything else (a shell with arguments, a login shell, sh, a plain command) is
run as given: everything is recorded except command events.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    shell: str | None = None  # which integration was injected


def _script(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def inject(argv: Sequence[str], env: Mapping[str, str], workdir: Path) -> Launch:
    """The command line and extra environment that run ``argv`` with coterm's hooks."""
    if len(argv) != 1:
        return Launch(list(argv))
    name = os.path.basename(argv[0])
    if name == "bash":
        rc = workdir / "coterm.bash"
        rc.write_text(_script("marks.sh") + _script("coterm.bash"), encoding="utf-8")
        return Launch([argv[0], "--rcfile", str(rc), "-i"], shell="bash")
    if name == "zsh":
        zdot = workdir / "zdotdir"
        zdot.mkdir(mode=0o700, exist_ok=True)
        (zdot / ".zshenv").write_text(_script("zshenv.zsh"), encoding="utf-8")
        (zdot / ".zshrc").write_text(_script("marks.sh") + _script("coterm.zsh"),
                                      encoding="utf-8")
        user = env.get("ZDOTDIR") or env.get("HOME") or str(Path.home())
        return Launch(list(argv), {"ZDOTDIR": str(zdot), "COTERM_USER_ZDOTDIR": user},
                      shell="zsh")
    if name == "fish" and shutil.which(argv[0]):
        script = workdir / "coterm.fish"
        script.write_text(_script("coterm.fish"), encoding="utf-8")
        return Launch([argv[0], "--init-command", f"source {script}"], shell="fish")
    return Launch(list(argv))
