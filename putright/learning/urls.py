"""Learning's screens, included at ``learning/`` by the project's URLs."""

from django.urls import path

from putright.learning import views

app_name = "learning"
urlpatterns = [
    # The register is the landing page, so the navigation marks "Learning" on every page below.
    path("", views.register, name="lessons"),
    path("lessons/new/", views.lesson_new, name="lesson-new"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/change/", views.lesson_edit, name="lesson-edit"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("plans/<int:year>/goals/new/", views.goal_new, name="goal-new"),
    path("plans/<int:year>/goals/<int:goal>/actions/new/", views.action_new, name="action-new"),
    path("plans/<int:year>/quarters/<int:quarter>/", views.snapshot_detail, name="snapshot"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/change/", views.action_edit, name="action-edit"),
]
