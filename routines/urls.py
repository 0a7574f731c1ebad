from django.urls import path

app_name = "routines"
urlpatterns: list = []
