"""The coverage map's classes follow the data shown (Jenks natural breaks), Paris apart (``stats/maps.py``)."""

from collections import Counter

from stats import maps
from stats.classify import class_of, natural_classes
from tests.stats.map_data import realistic_department_rows


def test_natural_classes_cut_where_values_are_furthest_apart():
    assert natural_classes([1, 2, 3, 10, 11, 12, 30, 31, 50], 4) == [(1, 3), (10, 12), (30, 31), (50, 50)]
    assert natural_classes([5, 1, 50, 2], 2) == [(1, 5), (50, 50)]


def test_equal_values_share_a_class_and_few_values_make_few_classes():
    assert natural_classes([4.0, 4.0, 4.0, 4.0, 9.5], 4) == [(4.0, 4.0), (9.5, 9.5)]
    assert natural_classes([], 4) == []
    assert class_of(9.5, [(4.0, 4.0), (9.5, 9.5)]) == 1


def test_realistic_coverage_is_spread_over_every_class():
    rows = realistic_department_rows()
    covered = [row for row in rows if row["communes"]]
    # The fixed steps of 20 % put nearly every département in the lightest one: a blank France.
    assert sum(1 for row in covered if row["share_communes"] < 20) / len(covered) > 0.9
    department_map = maps.choropleths(rows, [])["departments"]
    shown = department_map["areas"] + department_map["insets"]
    colours = Counter(area["css"] for area in shown)
    assert colours == {
        "map-step-0": 10,
        "map-step-1": 41,
        "map-step-2": 24,
        "map-step-3": 20,
        "map-step-4": 5,
        "map-excluded": 1,
    }
    assert department_map["legend"] == [
        {"css": "map-step-0", "label": "aucune commune couverte"},
        {"css": "map-step-1", "label": "0,2 à 3,2\u202f%"},
        {"css": "map-step-2", "label": "3,5 à 7,4\u202f%"},
        {"css": "map-step-3", "label": "7,8 à 11,7\u202f%"},
        {"css": "map-step-4", "label": "24,0 à 31,6\u202f%"},
    ]
    assert department_map["method"] == "Classes par seuils naturels (Jenks), calculées sur 100 départements affichés."


def test_each_area_takes_the_class_its_share_falls_in():
    rows = [
        {"code": "01", "communes": 10, "covered_communes": 1, "share_communes": 10.0, "share_population": 5.0},
        {"code": "02", "communes": 10, "covered_communes": 0, "share_communes": 0.0, "share_population": 0.0},
        {"code": "03", "communes": 10, "covered_communes": 9, "share_communes": 90.0, "share_population": 95.0},
    ]
    areas = {area["code"]: area["css"] for area in maps.choropleths(rows, [])["departments"]["areas"]}
    assert (areas["01"], areas["02"], areas["03"], areas["04"]) == (
        "map-step-1",
        "map-step-0",
        "map-step-2",
        "map-none",
    )


def test_paris_is_hatched_and_named_on_the_map():
    department_map = maps.choropleths(realistic_department_rows(), [])["departments"]
    paris = next(area for area in department_map["areas"] if area["code"] == "75")
    assert paris["css"] == "map-excluded"
    # A ring round the centre of Paris's outline, a line from it to the words, in the sea up and left.
    assert department_map["paris"] == {
        "x": "312.6",
        "y": "143.9",
        "line_x": "257.0",
        "line_y": "44.0",
        "text_x": "255.0",
        "text_y": "40.0",
    }
    assert maps.path_centre("m 10,20 4,0 0,6 -4,0 z") == (12.0, 23.0)
    assert maps.path_centre("M 10 20 L 14 20 L 14 26 z") == (12.0, 23.0)
