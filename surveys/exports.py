"""The results tables as rows for CSV or XLSX downloads (core.exports writes the file).
The same suppression as the page: a hidden figure is written as "fewer than N"."""

from surveys import selectors


def _hidden(data) -> str:
    return f"fewer than {data['threshold']}"


def answers_table(survey):
    """How many gave each answer to each question, for the whole survey."""
    data = selectors.results(survey)
    header = ["Question", "Answer", "Number"]
    rows = []
    for row in data["rows"]:
        for item in row["distribution"]:
            count = _hidden(data) if row["all"].suppressed else item["count"]
            rows.append([row["question"].text, item["label"], count])
    return header, rows


def teams_table(survey):
    """Each question's number of answers and mean, for everyone and each team."""
    data = selectors.results(survey)
    header = ["Question", "Team", "Answers", "Mean"]
    rows = []
    for row in data["rows"]:
        cells = [("All teams", row["all"])]
        groups = zip(data["groups"], row["groups"], strict=True)
        cells += [(group.label, figures) for group, figures in groups]
        for label, figures in cells:
            if figures.suppressed:
                rows.append([row["question"].text, label, _hidden(data), ""])
            else:
                rows.append([row["question"].text, label, figures.n, figures.mean])
    return header, rows


def rates_table(survey):
    rates = selectors.response_rates(survey)
    header = ["Team", "Asked", "Answered", "Percent"]
    rows = [[t["team"], t["invited"], t["answered"], t["percent"]] for t in rates["teams"]]
    rows.append(["All teams", rates["invited"], rates["answered"], rates["percent"]])
    return header, rows


def words_table(survey):
    """Answers in their own words, by column; nothing if too few answered in all."""
    data = selectors.results(survey)
    header = ["Column", "Question", "Answer"]
    rows = [
        [column["heading"], answer["question"], answer["text"]]
        for column in data["columns"]
        for answer in column["answers"]
    ]
    return header, rows


TABLES = {
    "answers": answers_table,
    "teams": teams_table,
    "rates": rates_table,
    "words": words_table,
}
