"""The rule table: what a secret looks like in a terminal.

Two families:

* **token rules** (here) name the literal start of a vendor token (``ghp_``,
  ``AKIA``, ``xoxb-`` …). The engine finds long tokens in one fast scan and tries a
  token rule only where a token starts with one of its ``prefixes`` (or holds its
  ``contains`` literal).
* **context rules** (:mod:`.context`) need surrounding words (``password=``,
  ``curl -u``, ``Authorization:``). Each names lower-case ``anchors``; the engine
  runs the rule only around an anchor hit, so text without anchors costs one
  ``str.find`` per anchor.

A rule's secret is the regex group ``s`` (or the whole match); ``extract`` may
refine it. ``keep`` leading characters stay readable (at most 4, e.g. ``ghp_``).
"""

from __future__ import annotations

import re

from .context import CONTEXT_RULES
from .rule import Rule

__all__ = ["Rule", "TOKEN_RULES", "CONTEXT_RULES", "PEM_RULE", "default_rules"]


_END = r"(?![A-Za-z0-9_-])"


def _tok(name: str, prefixes: str, body: str, keep: int = 0, flags: int = 0) -> Rule:
    """A token rule: ``body`` is matched at a token start that begins with a prefix."""
    return Rule(name, re.compile(body + _END, flags), prefixes=tuple(prefixes.split()),
                keep=keep)


TOKEN_RULES: tuple[Rule, ...] = (
    _tok("github-token", "ghp_ gho_ ghu_ ghs_ ghr_", r"gh[pousr]_[A-Za-z0-9]{30,251}", 4),
    _tok("github-fine-grained-pat", "github_pat_", r"github_pat_[A-Za-z0-9_]{40,255}"),
    _tok("gitlab-token", "glpat- gldt- glrt- glptt- glcbt- glft- glimt- glsoat- GR1348941",
         r"(?:gl(?:pat|dt|rt|ptt|cbt|ft|imt|soat)-|GR1348941)[A-Za-z0-9_-]{20,64}"),
    _tok("slack-token", "xoxb- xoxp- xoxa- xoxo- xoxs- xoxr- xoxe- xoxe. xapp-",
         r"(?:xox[abposre](?:\.xox[bp])?-|xapp-)[A-Za-z0-9-]{10,250}", 4),
    _tok("stripe-key", "sk_live_ sk_test_ rk_live_ rk_test_ whsec_",
         r"(?:[sr]k_(?:live|test)|whsec)_[A-Za-z0-9]{16,247}", 3),
    _tok("anthropic-key", "sk-ant-", r"sk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_-]{32,200}", 3),
    _tok("openai-key", "sk-", r"sk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*[0-9])"
         r"(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{20,200}", 3),
    _tok("sendgrid-key", "SG.", r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}", 3),
    _tok("twilio-key", "SK AC", r"(?:SK|AC)[0-9a-f]{32}"),
    _tok("npm-token", "npm_", r"npm_[A-Za-z0-9]{36}", 4),
    _tok("pypi-token", "pypi-", r"pypi-AgE[A-Za-z0-9_-]{50,}", 4),
    _tok("dockerhub-token", "dckr_pat_ dckr_oat_", r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}"),
    _tok("aws-access-key-id",
         "AKIA ASIA ABIA ACCA AGPA AIDA AROA AIPA ANPA ANVA APKA",
         r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16}", 4),
    _tok("aws-session-token", "FwoGZXIvYXdz IQoJb3JpZ2lu",
         r"(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=_-]{40,}"),
    _tok("gcp-oauth-token", "ya29.", r"ya29\.[A-Za-z0-9_-]{20,}", 4),
    _tok("gcp-api-key", "AIza", r"AIza[A-Za-z0-9_-]{35}", 4),
    _tok("google-oauth-secret", "GOCSPX-", r"GOCSPX-[A-Za-z0-9_-]{20,}"),
    _tok("jwt", "eyJ", r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    _tok("vault-token", "hvs. hvb. hvr.", r"hv[sbr]\.[A-Za-z0-9_-]{20,}", 4),
    _tok("shopify-token", "shpat_ shpss_ shpca_ shppa_", r"shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"),
    _tok("digitalocean-token", "dop_v1_ doo_v1_ dor_v1_", r"do[por]_v1_[a-f0-9]{64}"),
    _tok("huggingface-token", "hf_", r"hf_[A-Za-z0-9]{30,}", 3),
    _tok("postman-key", "PMAK-", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
    _tok("newrelic-key", "NRAK- NRII- NRJS-", r"NR(?:AK|II|JS)-[A-Za-z0-9]{20,}", 4),
    _tok("grafana-token", "glc_ glsa_", r"gl(?:c|sa)_[A-Za-z0-9_+/=-]{32,}", 4),
    _tok("databricks-token", "dapi", r"dapi[a-f0-9]{32}(?:-\d)?", 4),
    _tok("linear-key", "lin_api_", r"lin_api_[A-Za-z0-9]{40}"),
    _tok("square-token", "sq0atp- sq0csp- EAAA", r"(?:sq0atp-|sq0csp-|EAAA)[A-Za-z0-9_-]{22,}"),
    _tok("mailgun-key", "key-", r"key-[a-f0-9]{32}"),
    _tok("heroku-key", "HRKU-", r"HRKU-[A-Za-z0-9_-]{30,}", 4),
    _tok("atlassian-token", "ATATT ATCTT", r"AT[AC]TT[A-Za-z0-9_=-]{40,}"),
    _tok("artifactory-key", "AKCp", r"AKCp[A-Za-z0-9]{60,}", 4),
    _tok("tailscale-key", "tskey-", r"tskey-[a-z]+-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}"),
    _tok("1password-token", "ops_", r"ops_eyJ[A-Za-z0-9_=-]{40,}", 4),
    _tok("ai-api-key", "xai- gsk_ r8_ pplx- nvapi- sntrys_ sgp_",
         r"(?:xai-|gsk_|r8_|pplx-|nvapi-|sntrys_|sgp_)[A-Za-z0-9_-]{30,}", 3),
    Rule("azure-client-secret", re.compile(r"[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}"
                                           r"(?![\w~.-])"), contains="Q~"),
    Rule("mailchimp-key", re.compile(r"[0-9a-f]{32}-us\d{1,2}(?![\w-])"), contains="-us"),
    Rule("terraform-token", re.compile(r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}"),
         contains=".atlasv1."),
    _tok("age-secret-key", "AGE-SECRET-KEY-", r"AGE-SECRET-KEY-1[0-9A-Z]{50,}"),
    _tok("k3s-token", "K10", r"K10[0-9a-f]{40,}::[a-z]+:[0-9a-f]{16,}"),
    _tok("mapbox-secret-token", "sk.eyJ", r"sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}", 3),
    _tok("saas-token", "sntryu_ sbp_ dp.st. dp.pt. dp.ct. dp.sa. pul- fm2_ fo1_ rnd_",
         r"(?:sntryu_|sbp_|dp\.(?:st|pt|ct|sa)\.|pul-|fm2_|fo1_|rnd_)[A-Za-z0-9_.=-]{20,}", 3),
    _tok("docker-swarm-token", "SWMTKN-", r"SWMTKN-1-[a-z0-9]{40,}-[a-z0-9]{20,}"),
    _tok("telegram-bot-token", "AA", r"(?<=\d:)AA[A-Za-z0-9_-]{33}"),
    _tok("private-key-body", "MII b3BlbnNzaC1rZXktdjE",
         r"(?:MII[A-Za-z0-9+/]{1,3}(?:QIBADANBgkqhkiG9w0BAQEFAASC|[A-Za-z0-9+/]{0,2}IBAAKC"
         r"|[A-Za-z0-9+/]{0,3}IBAQQ)|b3BlbnNzaC1rZXktdjE)[A-Za-z0-9+/=]{20,}"),
)


# A private key block: the body between the header and the footer, across lines.
PEM_RULE = Rule(
    "private-key",
    re.compile(r"-----BEGIN (?:[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?|OpenVPN Static key V1)-----"),
    anchors=("-----begin",),
)


def default_rules() -> tuple[Rule, ...]:
    """Every built-in rule."""
    return (*TOKEN_RULES, *CONTEXT_RULES)
