"""How a job order is shown and exported: labelled rows for the detail page, flat rows for CSV/JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _

JOB_ORDER_EXPORT_HEADER = [
    "id", "source", "source_key", "line", "fiscal_year", "quarter", "programme", "is_primary", "association_role",
    "primary_rule", "employer_name", "trade_name", "employer_city", "employer_state", "worksite_subdivision",
    "worksite_city", "worksite_county", "worksite_postal_code", "job_title", "occupation_system", "occupation_code",
    "occupation_title", "isco_code", "isco_method", "positions_requested", "positions_certified", "begin_date",
    "end_date", "wage_rate", "wage_unit", "wage_currency", "wage_hourly", "hours_per_week", "case_status",
    "status_category", "decision_date", "source_file", "source_row", "batch",
]


def job_order_export_row(job) -> list:
    return [
        job.pk, job.source, job.source_key, job.line, job.fiscal_year, job.quarter, job.programme, job.is_primary,
        job.association_role, job.primary_rule, job.employer_name, job.trade_name, job.employer_city,
        job.employer_state, job.worksite_subdivision_id or "", job.worksite_city, job.worksite_county,
        job.worksite_postal_code, job.job_title, job.occupation_system, job.occupation_code, job.occupation_title,
        job.isco_code, job.isco_method, job.positions_requested, job.positions_certified, job.begin_date,
        job.end_date, job.wage_rate, job.wage_unit, job.wage_currency, job.wage_hourly, job.hours_per_week,
        job.case_status, job.status_category, job.decision_date, job.source_file, job.source_row, job.batch_id,
    ]


def _value(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Sí")
    if value is False:
        return _("No")
    return value


def job_order_rows(job) -> list[dict]:
    """(section, label, value) rows of everything a job order holds, provenance last."""
    wage = ""
    if job.wage_rate is not None:
        wage = f"{job.wage_rate} {job.wage_currency} / {job.wage_unit or '?'}"
    hourly = f"{job.wage_hourly} {job.wage_currency}" if job.wage_hourly is not None else ""
    sections = [
        (_("Solicitud"), [
            (_("Programa"), job.get_programme_display()),
            (_("Número de caso u orden"), job.source_key),
            (_("Número de orden de trabajo"), job.job_order_number),
            (_("Año fiscal"), job.fiscal_year),
            (_("Trimestre"), job.quarter),
            (_("Estado del caso (publicado)"), job.case_status),
            (_("Estado"), job.get_status_category_display()),
            (_("Fecha de recepción"), job.received_date),
            (_("Fecha de decisión"), job.decision_date),
            (_("Papel en una asociación"), job.get_association_role_display()),
            (_("Cuenta en los totales oficiales"), job.is_primary),
            (_("Cómo se determinó"), job.primary_rule),
        ]),
        (_("Empleador"), [
            (_("Empleador (publicado)"), job.employer_name),
            (_("Nombre comercial (DBA)"), job.trade_name),
            (_("Dirección"), job.employer_address),
            (_("Ciudad"), job.employer_city),
            (_("Estado o provincia"), job.employer_state),
            (_("Código postal"), job.employer_postal_code),
        ]),
        (_("Puesto y lugar de trabajo"), [
            (_("Puesto"), job.job_title),
            (_("Clasificación publicada"), job.get_occupation_system_display() if job.occupation_system else ""),
            (_("Código publicado"), job.occupation_code),
            (_("Ocupación publicada"), job.occupation_title),
            (_("CIUO-08"), job.isco_code),
            (_("Cómo se asignó la CIUO-08"), job.isco_method),
            (_("Otras CIUO-08 posibles"), ", ".join(job.isco_alternatives or [])),
            (_("SCIAN/NAICS"), job.naics_code),
            (_("Cultivo principal"), job.primary_crop),
            (_("País de destino"), job.country),
            (_("Estado o provincia del lugar de trabajo"), job.worksite_subdivision),
            (_("Ciudad del lugar de trabajo"), job.worksite_city),
            (_("Condado"), job.worksite_county),
            (_("Código postal del lugar de trabajo"), job.worksite_postal_code),
        ]),
        (_("Puestos, fechas y salario"), [
            (_("Puestos solicitados"), job.positions_requested),
            (_("Puestos certificados/aprobados"), job.positions_certified),
            (_("Inicio"), job.begin_date),
            (_("Fin"), job.end_date),
            (_("Salario publicado"), wage),
            (_("Salario por hora (normalizado)"), hourly),
            (_("Horas por semana"), job.hours_per_week),
        ]),
        (_("Requisitos y vivienda"), [
            (_("Experiencia requerida (meses)"), job.experience_months),
            (_("Estudios requeridos"), job.education_level),
            (_("Formación requerida (meses)"), job.training_months),
            (_("Requisitos especiales"), job.special_requirements),
            (_("Vivienda ofrecida"), job.housing_provided),
            (_("Vivienda"), job.housing_summary),
        ]),
        (_("Procedencia"), [
            (_("Fuente"), job.get_source_display()),
            (_("Archivo de origen"), job.source_file),
            (_("Fila en el archivo"), job.source_row),
            (_("Línea dentro del caso"), job.line),
            (_("Importación"), job.batch_id),
            (_("Actualizado"), job.updated_at),
        ]),
    ]
    extra = [(str(k), v) for k, v in sorted((job.extra or {}).items())]
    if extra:
        sections.append((_("Otros valores publicados"), extra))
    return [{"title": title, "rows": [{"label": label, "value": _value(value)} for label, value in rows]}
            for title, rows in sections]
