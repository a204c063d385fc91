"""The harbour line's weekday timetable: the first tram, then one every `HEADWAY` minutes."""
HEADWAY = 12
FIRST = {"quay": 5 * 60 + 40, "market": 5 * 60 + 46, "lighthouse": 5 * 60 + 55}


def next_departures(stop, count=4):
    first = FIRST.get(stop)
    if first is None:
        return []
    return [f"{(first + i * HEADWAY) // 60:02d}:{(first + i * HEADWAY) % 60:02d}" for i in range(count)]
