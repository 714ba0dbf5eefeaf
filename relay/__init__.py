"""coterm's relay: brokers live sessions between broadcasters and viewers, stores them."""
