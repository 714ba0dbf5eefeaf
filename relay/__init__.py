"""coterm's relay: brokers live sessions between broadcasters and viewers, stores them.

Modules::

    app.py         make_app(settings): routes, background loops, shutdown (1001)
    settings.py    every limit and policy, one frozen value
    state.py       the running relay: store + hub + keyframer, group commit and acks,
                   grace periods
    conn.py        what every WebSocket shares: auth, Hello, refusals, rate limits
    ws_publish.py  /ws/publish: lossless ingest (contiguous seqs, duplicates ignored)
    ws_watch.py    /ws/watch: Init + catch-up from the log, then live; resync on lag
    hub.py         per-session fan-out into viewers' transports, bounded in bytes
    keyframes.py   screen snapshots beside ingest (emulator in a child process)
    emulate.py     the emulator side of keyframing
    auth.py        scoped, hashed, revocable tokens; loopback; Origin
    rest.py        REST API, /healthz, /metrics
    store/         the Store interface and its SQLite + frame-log implementation

Close codes: 1000 normal (Bye), 1001 relay shutting down, 1009 message over 64 KB,
1011 storage failure, 4400 malformed/unexpected/gap, 4401 no or bad token, 4403 not
allowed (scope, owner, origin), 4404 no such session, 4408 no Hello in time, 4409
replaced by a newer broadcaster connection, 4429 rate limited. Each refusal is
preceded by an Error message naming the reason and logged on one line.
"""
