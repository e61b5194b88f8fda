"""Classes for a choropleth that adapt to the data: Jenks natural breaks (Fisher's exact method).

Coverage is low and uneven on real data (most départements far under 20 %, a few well above), so
fixed steps of 20 % put every area in the same colour. ``natural_classes`` cuts the values where
they are furthest apart: it minimises the squared deviations within the classes (Fisher 1958, the
« natural breaks » of Jenks 1977), by dynamic programming over the sorted distinct values, each
weighted by how often it occurs, so that equal values always share a class.
"""

from collections import Counter


def natural_classes(values: list[float], count: int) -> list[tuple[float, float]]:
    """At most ``count`` classes of ``values``, as (lowest, highest) value of each, in increasing order.

    Fewer classes when there are fewer distinct values; none for no value.
    """
    weights = sorted(Counter(values).items())
    n = len(weights)
    count = min(count, n)
    if count == 0:
        return []
    # Prefix sums of the weights, of the weighted values and of their squares.
    s0, s1, s2 = [0.0], [0.0], [0.0]
    for value, weight in weights:
        s0.append(s0[-1] + weight)
        s1.append(s1[-1] + weight * value)
        s2.append(s2[-1] + weight * value * value)

    def deviation(i: int, j: int) -> float:
        """Squared deviations from their mean of the values ``weights[i:j]``."""
        total = s1[j] - s1[i]
        return (s2[j] - s2[i]) - total * total / (s0[j] - s0[i])

    infinity = float("inf")
    # cost[k][j]: the least deviation of the first j values in k classes; start[k][j]: where the last begins.
    cost = [[infinity] * (n + 1) for _ in range(count + 1)]
    start = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                candidate = cost[k - 1][i] + deviation(i, j)
                if candidate < cost[k][j]:
                    cost[k][j], start[k][j] = candidate, i
    classes = []
    j = n
    for k in range(count, 0, -1):
        i = start[k][j]
        classes.append((weights[i][0], weights[j - 1][0]))
        j = i
    return classes[::-1]


def class_of(value: float, classes: list[tuple[float, float]]) -> int:
    """The index of the class holding ``value`` (one of the classified values)."""
    return next(index for index, (_low, high) in enumerate(classes) if value <= high)
