"""Catalogue pages. Thin: reads come from queries.py (restrict()), writes from services.py."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from temporada.core.charts import Chart, bar_spec
from temporada.core.exports import export_response
from temporada.core.restrict import get_restricted_or_404

from . import services
from .facts import fact_statuses
from .forms import (
    BestPracticeForm,
    InstrumentCreateForm,
    InstrumentEditForm,
    InstrumentFilterForm,
    PartyFormSet,
    ProcedureCreateForm,
    ProcedureEditForm,
    ProgrammeCreateForm,
    ProgrammeEditForm,
    ProgrammeSearchForm,
    ReviewForm,
    StepFormSet,
)
from .models import (
    BestPractice,
    LegalInstrument,
    Modality,
    Procedure,
    Programme,
    ProgrammeVolume,
    Revision,
    is_reviewer,
)
from .presentation import (
    compare_export_rows,
    instrument_export_rows,
    instrument_rows,
    programme_export_rows,
    programme_rows,
)
from .queries import instruments_for, practices_for, procedures_for, programmes_for, search_programmes

MAX_COMPARE = 4


def _export_format(request):
    fmt = request.GET.get("format", "")
    if fmt and fmt not in ("csv", "json"):
        return None, HttpResponseBadRequest(_("Formato no disponible: use csv o json."))
    return fmt, None


@require_GET
def programme_list(request):
    form = ProgrammeSearchForm(request.GET or None)
    fmt, error = _export_format(request)
    if error:
        return error
    programmes, impossible = [], ""
    if form.is_bound and not form.is_valid():
        programmes = []
    else:
        filters = form.cleaned_data if form.is_bound else {}
        impossible = form.impossible_reason() if form.is_bound else ""
        programmes = [] if impossible else search_programmes(request.user, filters,
                                                             action="export" if fmt else "view")
    if fmt:
        header, rows = programme_export_rows(programmes)
        return export_response(fmt, "programmes", header, rows)
    return render(request, "programmes/list.html", {
        "form": form, "programmes": programmes, "impossible": impossible,
        "export_query": request.GET.urlencode(),
    })


def _volume_chart(programme, volumes):
    if not volumes:
        return None
    rows = [{"year": str(v.year), "value": v.value, "measure": v.get_measure_display()} for v in volumes]
    return Chart(
        chart_id=f"volumes-{programme.slug}", title=_("Volumen anual"),
        spec=bar_spec(x="year", y="value", x_title=_("Año"), y_title=_("Valor"), horizontal=False, color="measure"),
        columns=[("year", _("Año")), ("measure", _("Medida")), ("value", _("Valor"))], rows=rows,
        source="; ".join(sorted({v.source.title for v in volumes})),
        as_of=max(v.checked_on for v in volumes).isoformat(),
    )


@require_GET
def programme_detail(request, slug):
    programme = get_restricted_or_404(programmes_for(request.user), request.user, slug=slug)
    volumes = list(ProgrammeVolume.objects.filter(programme=programme).select_related("source"))
    can_edit = Programme.objects.restrict(request.user, "change").filter(pk=programme.pk).exists()
    history = _history(programme) if can_edit or is_reviewer(request.user) else []
    return render(request, "programmes/detail.html", {
        "programme": programme, "rows": programme_rows(programme), "volumes": volumes,
        "chart": _volume_chart(programme, volumes),
        "instruments": instruments_for(request.user).filter(programmes=programme),
        "procedures": procedures_for(request.user).filter(programme=programme),
        "practices": practices_for(request.user).filter(programme=programme, state="published"),
        "can_edit": can_edit, "can_review": is_reviewer(request.user), "history": history,
        "editable_procedures": set(Procedure.objects.restrict(request.user, "change").filter(programme=programme)
                                   .values_list("pk", flat=True)),
    })


@require_GET
def compare(request):
    slugs = list(OrderedDict.fromkeys(s.strip() for s in request.GET.getlist("p") if s.strip()))
    context = {"all_programmes": programmes_for(request.user).order_by("slug"), "selected": slugs, "max": MAX_COMPARE}
    if len(slugs) < 2:
        context["message"] = _("Elija al menos dos programas para compararlos.")
        return render(request, "programmes/compare.html", context)
    if len(slugs) > MAX_COMPARE:
        context["message"] = _("Se pueden comparar como máximo %(max)d programas a la vez.") % {"max": MAX_COMPARE}
        return render(request, "programmes/compare.html", context)
    fmt, error = _export_format(request)
    if error:
        return error
    found = {p.slug: p for p in programmes_for(request.user).filter(slug__in=slugs)}
    if len(found) != len(slugs):
        # Unknown and forbidden ids answer the same: 404, with the page explaining which ids were not found.
        context["message"] = _("Programa no encontrado: %(ids)s. Elija programas de la lista.") % {
            "ids": ", ".join(s for s in slugs if s not in found)[:300]}
        context["selected"] = [s for s in slugs if s in found]
        return render(request, "programmes/compare.html", context, status=404)
    programmes = [found[s] for s in slugs]
    table = [programme_rows(p) for p in programmes]
    if fmt:
        header, rows = compare_export_rows(programmes, table)
        return export_response(fmt, "programme_comparison", header, rows)
    context["programmes"] = programmes
    context["matrix"] = [(table[0][i]["label"], [t[i] for t in table]) for i in range(len(table[0]))]
    context["export_query"] = request.GET.urlencode()
    return render(request, "programmes/compare.html", context)


@require_GET
def instrument_list(request):
    form = InstrumentFilterForm(request.GET or None)
    fmt, error = _export_format(request)
    if error:
        return error
    qs = instruments_for(request.user, "export" if fmt else "view")
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("modality"):
            qs = qs.filter(modality=form.cleaned_data["modality"])
        if form.cleaned_data.get("country"):
            qs = qs.filter(parties__country_id=form.cleaned_data["country"])
    elif form.is_bound:
        qs = qs.none()
    instruments = list(qs.distinct())
    if fmt:
        header, rows = instrument_export_rows(instruments)
        return export_response(fmt, "legal_instruments", header, rows)
    by_modality = OrderedDict((label, [i for i in instruments if i.modality == value]) for value, label in Modality.choices)
    return render(request, "programmes/instruments.html", {
        "form": form, "instruments": instruments, "by_modality": by_modality, "export_query": request.GET.urlencode()})


@require_GET
def instrument_detail(request, slug):
    instrument = get_restricted_or_404(instruments_for(request.user), request.user, slug=slug)
    parties = list(instrument.parties.all())
    can_edit = LegalInstrument.objects.restrict(request.user, "change").filter(pk=instrument.pk).exists()
    return render(request, "programmes/instrument_detail.html", {
        "instrument": instrument, "rows": instrument_rows(instrument), "parties": parties,
        "party_codes": [p.country_id for p in parties],
        "programmes": programmes_for(request.user).filter(instruments=instrument),
        "statuses": fact_statuses(instrument),
        "can_edit": can_edit, "can_review": is_reviewer(request.user),
        "history": _history(instrument) if can_edit or is_reviewer(request.user) else [],
    })


@require_GET
def timeline(request):
    every = list(instruments_for(request.user))
    instruments = sorted((i for i in every if i.year), key=lambda i: (i.year, i.slug))
    undated = [i for i in every if not i.year]
    rows = [{"year": i.year, "instrument": i.short_name, "modality": i.get_modality_display()} for i in instruments]
    chart = Chart(
        chart_id="instrument-timeline", title=_("Instrumentos jurídicos por año de adopción"),
        spec={"mark": {"type": "point", "filled": True, "size": 90},
              "encoding": {"x": {"field": "year", "type": "quantitative", "title": _("Año"), "axis": {"format": "d"},
                                 "scale": {"zero": False}},
                           "y": {"field": "modality", "type": "nominal", "title": _("Modalidad")},
                           "color": {"field": "modality", "type": "nominal", "legend": None},
                           "tooltip": [{"field": "instrument"}, {"field": "year"}]}},
        columns=[("year", _("Año")), ("instrument", _("Instrumento")), ("modality", _("Modalidad"))], rows=rows,
        source=_("Catálogo de instrumentos de Temporada (cada fecha con su fuente en la ficha)"),
    )
    return render(request, "programmes/timeline.html", {"instruments": instruments, "undated": undated, "chart": chart})


@require_GET
def procedure_list(request):
    fmt, error = _export_format(request)
    if error:
        return error
    procedures = list(procedures_for(request.user, "export" if fmt else "view"))
    if fmt:
        header = ["programme", "origin", "step", "title", "office", "documents", "fees", "fee_payer", "typical_time",
                  "where", "source_url", "checked_on"]
        rows = [[p.programme.slug, p.origin_id, s.order, s.t("title"), s.t("office"), s.t("documents"), s.t("fees"),
                 s.fee_payer, s.t("typical_time"), s.t("where"), s.source.url if s.source else "", s.checked_on or ""]
                for p in procedures for s in p.steps.all()]
        return export_response(fmt, "procedures", header, rows)
    return render(request, "programmes/procedures.html", {"procedures": procedures})


@require_GET
def practice_list(request):
    fmt, error = _export_format(request)
    if error:
        return error
    practices = list(practices_for(request.user, "export" if fmt else "view").filter(state="published"))
    if fmt:
        header = ["id", "country", "programme", "topic", "language", "title", "text", "evidence", "evidence_url",
                  "published_at"]
        rows = [[p.pk, p.country_id, p.programme.slug if p.programme and p.programme.state == "published" else "",
                 p.topic, p.language, p.title, p.text, p.evidence, p.evidence_url, p.published_at] for p in practices]
        return export_response(fmt, "best_practices", header, rows)
    pending = []
    if request.user.is_authenticated:
        pending = practices_for(request.user).exclude(state="published")
    return render(request, "programmes/practices.html", {"practices": practices, "pending": pending,
                                                          "can_review": is_reviewer(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def practice_submit(request):
    if not request.user.country_codes and not is_reviewer(request.user):
        raise Http404()
    form = BestPracticeForm(request.POST or None, user=request.user, programmes=programmes_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_best_practice(
                actor=request.user, country_id=data["country"], topic=data["topic"], language=data["language"],
                title=data["title"], text=data["text"], evidence=data["evidence"], evidence_url=data["evidence_url"],
                programme=data["programme"], request=request)
        except PermissionDenied:
            raise Http404() from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Gracias: la buena práctica queda pendiente de revisión."))
            return redirect("programmes:practices")
    return render(request, "programmes/practice_form.html", {"form": form})


@login_required
@require_POST
def practice_review(request, pk):
    if not is_reviewer(request.user):
        raise Http404()
    practice = get_restricted_or_404(BestPractice.objects.all(), request.user, "change", pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Decisión no válida."))
    services.review_best_practice(actor=request.user, practice=practice,
                                  publish=form.cleaned_data["decision"] == "publish",
                                  note=form.cleaned_data["note"], request=request)
    messages.success(request, _("Revisión guardada."))
    return redirect("programmes:practices")


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, slug):
    programme = get_restricted_or_404(Programme.objects.all(), request.user, "change", slug=slug)
    form = ProgrammeEditForm(request.POST or None, instance=Programme.objects.get(pk=programme.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(actor=request.user, obj=programme, changes=form.changes(), request=request,
                                   **form.source_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if is_reviewer(request.user):
                messages.success(request, _("Cambios guardados."))
            else:
                messages.success(request, _("Cambios guardados. Un revisor debe publicarlos."))
            return redirect("programmes:detail", slug=programme.slug)
    return render(request, "programmes/edit.html", {"form": form, "record": programme})


EDITABLE = {
    "instrument": (LegalInstrument, "slug", InstrumentEditForm, "programmes:instrument_detail"),
    "procedure": (Procedure, "pk", ProcedureEditForm, None),
}


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, kind, key):
    """Edit a legal instrument (officials of a party country) or a procedure (officials of its origin country)."""
    if kind not in EDITABLE:
        raise Http404()
    model, lookup, form_class, detail = EDITABLE[kind]
    if lookup == "pk" and not str(key).isdigit():
        raise Http404()
    obj = get_restricted_or_404(model.objects.all(), request.user, "change", **{lookup: key})
    form = form_class(request.POST or None, instance=model.objects.get(pk=obj.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(actor=request.user, obj=obj, changes=form.changes(), request=request,
                                   **form.source_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cambios guardados.") if is_reviewer(request.user)
                             else _("Cambios guardados. Un revisor debe publicarlos."))
            if detail:
                return redirect(detail, slug=obj.slug)
            return redirect("programmes:detail", slug=obj.programme.slug)
    return render(request, "programmes/edit.html", {"form": form, "record": obj})


@login_required
@require_POST
def publish(request, kind, slug):
    model = {"programme": Programme, "instrument": LegalInstrument}.get(kind)
    if model is None or not is_reviewer(request.user):
        raise Http404()
    obj = get_restricted_or_404(model.objects.all(), request.user, "view", slug=slug)
    services.set_publication(actor=request.user, obj=obj, publish=request.POST.get("action") != "unpublish",
                             request=request)
    messages.success(request, _("Estado de publicación actualizado."))
    target = "programmes:detail" if kind == "programme" else "programmes:instrument_detail"
    return redirect(target, slug=slug)


@login_required
@require_POST
def procedure_publish(request, pk):
    if not is_reviewer(request.user):
        raise Http404()
    procedure = get_restricted_or_404(Procedure.objects.all(), request.user, "view", pk=pk)
    services.set_publication(actor=request.user, obj=procedure, publish=request.POST.get("action") != "unpublish",
                             request=request)
    return redirect(reverse("programmes:detail", args=[procedure.programme.slug]))


def _study_cache_key(request) -> str | None:
    """Public copies of the study are shared: keyed by language and the last change of any catalogue record."""
    if request.user.is_authenticated:
        return None  # editors and reviewers may see drafts: never served from or stored in the shared cache
    from django.db.models import Count, Max

    stamps = [model.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
              for model in (Programme, LegalInstrument, Procedure)]
    import hashlib

    state = "|".join(f"{s['n']}@{s['last'].isoformat() if s['last'] else ''}" for s in stamps)
    return f"programmes-study:{request.LANGUAGE_CODE}:{hashlib.sha256(state.encode()).hexdigest()[:32]}"


@require_GET
def study_pdf(request):
    from django.core.cache import cache

    from .study import render_study_pdf

    key = _study_cache_key(request)
    pdf = cache.get(key) if key else None
    if pdf is None:
        pdf = render_study_pdf(request)
        if key:
            cache.set(key, pdf, 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="temporada-study-{request.LANGUAGE_CODE}.pdf"'
    return response




def _history(obj, limit=100):
    return Revision.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "changed_by")[:limit]


HISTORY = {
    "programme": (Programme, "slug"), "instrument": (LegalInstrument, "slug"), "procedure": (Procedure, "pk"),
    "practice": (BestPractice, "pk"),
}


@login_required
@require_GET
def history(request, kind, key):
    """Full history of one record, for its editors and the reviewers (others: 404)."""
    if kind not in HISTORY:
        raise Http404()
    model, lookup = HISTORY[kind]
    if lookup == "pk" and not str(key).isdigit():
        raise Http404()
    action = "view" if is_reviewer(request.user) else "change"
    obj = get_restricted_or_404(model.objects.all(), request.user, action, **{lookup: key})
    return render(request, "programmes/history.html", {"record": obj, "history": _history(obj, limit=1000)})


def _create_programme(request):
    form = ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            programme = services.create_programme(
                actor=request.user, slug=d["slug"], destination_id=d["destination"], modality=d["modality"],
                editor_country_id=d["editor_country"] or None,
                names={lang: d[f"name_{lang}"] for lang in ("es", "en", "fr")},
                acronyms={lang: d[f"acronym_{lang}"] for lang in ("es", "en", "fr")}, request=request)
        except PermissionDenied:
            form.add_error(None, _("Solo puede crear programas de su propio país."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Borrador creado. Añada sus datos con sus fuentes; un revisor lo publicará."))
            return redirect("programmes:edit", slug=programme.slug)
    return form


def _create_instrument(request):
    form = InstrumentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            instrument = services.create_instrument(
                actor=request.user, slug=d["slug"], short_name=d["short_name"], kind=d["kind"],
                modality=d["modality"], party_countries=d["party_countries"],
                titles={lang: d[f"title_{lang}"] for lang in ("es", "en", "fr")}, request=request,
                **form.source_kwargs())
        except PermissionDenied:
            form.add_error("party_countries", _("Su país debe ser parte del instrumento."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Borrador creado. Un revisor lo publicará."))
            return redirect("programmes:instrument_detail", slug=instrument.slug)
    return form


def _create_procedure(request):
    user = request.user
    origins = None if is_reviewer(user) else user.country_codes
    form = ProcedureCreateForm(request.POST or None, programmes=programmes_for(user).order_by("slug"), origins=origins)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            procedure = services.create_procedure(
                actor=user, programme=d["programme"], origin_id=d["origin"],
                summaries={lang: d[f"summary_{lang}"] for lang in ("es", "en", "fr")}, request=request)
        except PermissionDenied:
            form.add_error(None, _("Solo puede documentar procedimientos de su propio país."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Borrador creado. Añada los pasos con sus fuentes."))
            return redirect("programmes:procedure_steps", pk=procedure.pk)
    return form


CREATE = {"programme": (_create_programme, _("Nuevo programa")),
          "instrument": (_create_instrument, _("Nuevo instrumento jurídico")),
          "procedure": (_create_procedure, _("Nuevo procedimiento de documentación"))}


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request, kind):
    """Draft a new programme, legal instrument or procedure (officials by country, reviewers)."""
    if kind not in CREATE:
        raise Http404()
    user = request.user
    if not (is_reviewer(user) or (user.role in ("origin_official", "destination_official") and user.country_codes)):
        raise Http404()
    handler, title = CREATE[kind]
    result = handler(request)
    if isinstance(result, HttpResponse):
        return result  # redirect after a successful creation
    return render(request, "programmes/create.html", {"form": result, "title": title})


def _formset_page(request, *, obj, formset_class, initial, save, title, done):
    formset = formset_class(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            save(rows)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("Cambios guardados.") if is_reviewer(request.user)
                             else _("Cambios guardados. Un revisor debe publicarlos."))
            return done
    return render(request, "programmes/formset.html", {"formset": formset, "record": obj, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def procedure_steps(request, pk):
    """Ordered steps of a procedure: office, documents, fees and who pays, typical time, where to go, source."""
    procedure = get_restricted_or_404(Procedure.objects.select_related("programme"), request.user, "change", pk=pk)
    initial = [{**{f"{n}_{lang}": getattr(s, f"{n}_{lang}") for n in services.STEP_TEXT for lang in ("es", "en", "fr")},
                "fee_payer": s.fee_payer, "source_url": s.source.url if s.source else "", "checked_on": s.checked_on}
               for s in procedure.steps.select_related("source")]
    return _formset_page(
        request, obj=procedure, formset_class=StepFormSet, initial=initial, title=_("Pasos del procedimiento"),
        save=lambda rows: services.save_procedure_steps(actor=request.user, procedure=procedure, steps=rows,
                                                        request=request),
        done=redirect("programmes:detail", slug=procedure.programme.slug))


@login_required
@require_http_methods(["GET", "POST"])
def instrument_parties(request, slug):
    """Parties of an instrument with signature and ratification dates, each with its source."""
    instrument = get_restricted_or_404(LegalInstrument.objects.all(), request.user, "change", slug=slug)
    initial = [{"country": p.country_id, "signature_date": p.signature_date, "ratification_date": p.ratification_date,
                "ratification_year": p.ratification_year, "ratification_kind": p.ratification_kind,
                "source_url": p.source.url if p.source else "", "checked_on": p.checked_on}
               for p in instrument.parties.select_related("source")]
    return _formset_page(
        request, obj=instrument, formset_class=PartyFormSet, initial=initial, title=_("Países parte"),
        save=lambda rows: services.save_instrument_parties(actor=request.user, instrument=instrument, parties=rows,
                                                           request=request),
        done=redirect("programmes:instrument_detail", slug=instrument.slug))
