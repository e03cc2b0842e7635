from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<slug:slug>/", views.instrument_detail, name="instrument_detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("procedures/", views.procedure_list, name="procedures"),
    path("procedures/<int:pk>/publish/", views.procedure_publish, name="procedure_publish"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/new/", views.practice_submit, name="practice_submit"),
    path("practices/<int:pk>/review/", views.practice_review, name="practice_review"),
    path("study.pdf", views.study_pdf, name="study_pdf"),
    path("publish/<str:kind>/<slug:slug>/", views.publish, name="publish"),
    path("edit/<str:kind>/<str:key>/", views.record_edit, name="record_edit"),
    path("new/<str:kind>/", views.record_create, name="create"),
    path("history/<str:kind>/<str:key>/", views.history, name="history"),
    path("procedures/<int:pk>/steps/", views.procedure_steps, name="procedure_steps"),
    path("instruments/<slug:slug>/parties/", views.instrument_parties, name="instrument_parties"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/edit/", views.programme_edit, name="edit"),
]
