"""What the transcript-scoring class tests share: a chat written as (role, text) pairs and
the outcomes of one expectation in a report."""


def chat(*turns, channel="chat", direction=None, id="c1"):
    return {
        "id": id,
        "channel": channel,
        "direction": direction,
        "turns": [{"role": role, "text": text} for role, text in turns],
    }


def outcomes(report, expectation):
    return [o for o in report.expectations if o.expectation == expectation]


def statuses(report, expectation):
    return [o.status for o in outcomes(report, expectation)]
