from putright.demo.people import ADJUSTMENTS


def test_no_adjustment_repeats_its_category():
    """The case page shows "category: description", so a description that starts with its
    category's label reads twice ("Written information in another format: Written information
    in easy read")."""
    for category, description in ADJUSTMENTS:
        first_words = " ".join(category.label.lower().split()[:2])
        assert not description.lower().startswith(first_words), description
