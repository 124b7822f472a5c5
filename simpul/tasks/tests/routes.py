"""Access matrix rows of the task pages (merged by simpul/core/tests/test_access_matrix.py).

The object is a health task on Budi Santoso of Kelurahan Miji: names for those who may see a person there
(and health detail), counts for every role with aggregates, dismissal for the kader of the place only.
"""

NAMED = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "bidan_kranggan"}  # each sees her own list
COUNTS = NAMED | {"camat_kranggan", "pembina_mojokerto", "opd_dinsos"}


def extend(objects: dict) -> None:
    from simpul.tasks.tests.kit import make_task

    objects["task"] = make_task(objects["household"].members.get(full_name="Budi Santoso"))


PAGES = {
    "tasks:list": (lambda o: "/tugas/", NAMED),
    "tasks:summary": (lambda o: "/tugas/rekap/", COUNTS),
    "tasks:dismiss": (lambda o: f"/tugas/{o['task'].pk}/tutup/", {"kader_miji"}),
}
API = {
    "task_list": (lambda o: "/api/v1/tasks", NAMED),
}
NOT_IN_MATRIX = {
    "task_dismiss_api",  # POST only: simpul/tasks/tests/test_task_api.py
}
