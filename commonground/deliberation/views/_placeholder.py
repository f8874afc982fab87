from django.http import HttpResponse


def placeholder(request, *args, **kwargs):  # replaced by the real view; never left in main
    return HttpResponse("not built yet", status=501)
