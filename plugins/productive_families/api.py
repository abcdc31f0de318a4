"""The plugin's API (``/t/<tenant>/api/v1/productive_families/…``, in the OpenAPI document).
Each body is validated by its schema here (documented, 422 by field) and again by the service,
which owns the rules; one commit at the end of a write."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from core.toolkit import ApiBlueprint, db, kpi_values, require_tenant

from . import services
from .schemas import (
    ApplicationOutSchema,
    ApplyArgsSchema,
    AwardRoundOutSchema,
    AwardRoundSchema,
    ExhibitionOutSchema,
    ExhibitionSchema,
    FamiliesKpiQuerySchema,
    FamiliesKpiSchema,
    FinancingBodyOutSchema,
    FinancingBodySchema,
    FinancingDecisionSchema,
    FinancingRequestOutSchema,
    FinancingRequestSchema,
    JudgeSchema,
    JudgeTaskSchema,
    LicenceSchema,
    LinkAccountSchema,
    NominationOutSchema,
    NominationSchema,
    PartnershipSchema,
    ProducerCreateSchema,
    ProducerListArgs,
    ProducerOutSchema,
    ProductOutSchema,
    ProductPatchSchema,
    ProductSchema,
    ProfileSchema,
    ResultSchema,
    SalesSchema,
    ScoreSchema,
    ScoresSchema,
    ShowcaseSchema,
)

bp = ApiBlueprint(
    "productive_families_api",
    __name__,
    description="Productive families: producers, products, licences, KPIs.",
)
P = "productive_families."


def _body() -> dict:
    return request.get_json(silent=True) or {}


@bp.route("/producers")
@bp.arguments(ProducerListArgs, location="query")
@bp.response(200, ProducerOutSchema(many=True))
@bp.requires(P + "view")
def list_producers(args):
    """Producers by trade name; ``licence_queue=true``: those whose activity needs a licence and
    who have none in force."""
    return services.list_producers(
        licence_queue=args["licence_queue"], activity=args["activity"], limit=services.settings()["page_size"]
    )


@bp.route("/producers", methods=["POST"])
@bp.arguments(ProducerCreateSchema)
@bp.response(201, ProducerOutSchema)
@bp.requires(P + "manage")
def create_producer(_data):
    """Register a registry household as a producer."""
    producer = services.create_producer(_body(), current_user)
    db.session.commit()
    return producer


@bp.route("/producers/<int:producer_id>")
@bp.response(200, ProducerOutSchema)
@bp.requires(P + "view")
def get_producer(producer_id):
    return services.get_producer(producer_id)


@bp.route("/producers/<int:producer_id>/profile", methods=["PUT"])
@bp.arguments(ProfileSchema)
@bp.response(200, ProducerOutSchema)
@bp.requires(P + "manage")
def put_profile(_data, producer_id):
    producer = services.update_profile(services.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return producer


@bp.route("/producers/<int:producer_id>/licence", methods=["POST"])
@bp.arguments(LicenceSchema)
@bp.response(200, ProducerOutSchema)
@bp.requires(P + "manage")
def post_licence(_data, producer_id):
    """Move the licence (``none → applied → issued → expired``; 409 for a change the states refuse)."""
    producer = services.change_licence(services.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return producer


@bp.route("/producers/<int:producer_id>/account", methods=["PUT"])
@bp.arguments(LinkAccountSchema)
@bp.response(200, ProducerOutSchema)
@bp.requires(P + "manage")
def put_account(_data, producer_id):
    """Link the producer's portal account (an applicant of the association, by e-mail)."""
    producer = services.link_account(services.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return producer


@bp.route("/producers/<int:producer_id>/products")
@bp.response(200, ProductOutSchema(many=True))
@bp.requires(P + "view")
def list_products(producer_id):
    producer = services.get_producer(producer_id)
    return services.products_of([producer.id]).get(producer.id, [])


@bp.route("/producers/<int:producer_id>/products", methods=["POST"])
@bp.arguments(ProductSchema)
@bp.response(201, ProductOutSchema)
@bp.requires(P + "manage")
def post_product(_data, producer_id):
    product = services.add_product(services.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return services.attach_photos([product])[0]


@bp.route("/producers/<int:producer_id>/products/<int:product_id>", methods=["PATCH"])
@bp.arguments(ProductPatchSchema)
@bp.response(200, ProductOutSchema)
@bp.requires(P + "manage")
def patch_product(_data, producer_id, product_id):
    producer = services.get_producer(producer_id)
    product = services.update_product(services.product_of(producer, product_id), _body(), current_user)
    db.session.commit()
    return services.attach_photos([product])[0]


@bp.route("/producers/<int:producer_id>/showcase", methods=["PUT"])
@bp.arguments(ShowcaseSchema)
@bp.response(200, ProducerOutSchema)
@bp.requires(P + "manage")
def put_showcase(_data, producer_id):
    """Record the producer's consent to a public page (and its contact), or its withdrawal."""
    producer = services.set_showcase(services.get_producer(producer_id), _body(), current_user)
    db.session.commit()
    return producer


@bp.route("/exhibitions")
@bp.response(200, ExhibitionOutSchema(many=True))
@bp.requires(P + "view")
def list_exhibitions():
    return services.list_exhibitions()


@bp.route("/exhibitions", methods=["POST"])
@bp.arguments(ExhibitionSchema)
@bp.response(201, ExhibitionOutSchema)
@bp.requires(P + "manage")
def post_exhibition(_data):
    """Add an exhibition with its call for participation (deadline) and number of booths."""
    exhibition = services.create_exhibition(_body(), current_user)
    db.session.commit()
    return exhibition


@bp.route("/exhibitions/<int:exhibition_id>/applications")
@bp.response(200, ApplicationOutSchema(many=True))
@bp.requires(P + "view")
def list_applications(exhibition_id):
    return services.applications_of(services.get_exhibition(exhibition_id))


@bp.route("/exhibitions/<int:exhibition_id>/applications", methods=["POST"])
@bp.arguments(ApplyArgsSchema)
@bp.response(201, ApplicationOutSchema)
@bp.requires(P + "manage")
def post_application(data, exhibition_id):
    """Apply for a producer while the call is open (409 once it has closed)."""
    exhibition = services.get_exhibition(exhibition_id)
    application = services.apply(exhibition, services.get_producer(data["producer_id"]), current_user)
    db.session.commit()
    return application


@bp.route("/exhibitions/<int:exhibition_id>/applications/<int:application_id>/score", methods=["PUT"])
@bp.arguments(ScoreSchema)
@bp.response(200, ApplicationOutSchema)
@bp.requires(P + "manage")
def put_score(_data, exhibition_id, application_id):
    exhibition = services.get_exhibition(exhibition_id)
    application = services.score_application(
        services.get_application(exhibition, application_id), _body(), current_user
    )
    db.session.commit()
    return application


@bp.route("/exhibitions/<int:exhibition_id>/allocation", methods=["POST"])
@bp.response(200, ApplicationOutSchema(many=True))
@bp.requires(P + "manage")
def post_allocation(exhibition_id):
    """Allocate the booths with the rotation rule once the call has closed (409 before)."""
    applications = services.allocate(services.get_exhibition(exhibition_id), current_user)
    db.session.commit()
    return applications


@bp.route("/exhibitions/<int:exhibition_id>/applications/<int:application_id>/sales", methods=["PUT"])
@bp.arguments(SalesSchema)
@bp.response(200, ApplicationOutSchema)
@bp.requires(P + "manage")
def put_sales(_data, exhibition_id, application_id):
    """A booth holder's sales, once the exhibition has started."""
    exhibition = services.get_exhibition(exhibition_id)
    application = services.record_sales(
        services.get_application(exhibition, application_id), _body(), current_user
    )
    db.session.commit()
    return application


@bp.route("/awards")
@bp.response(200, AwardRoundOutSchema(many=True))
@bp.requires(P + "view")
def list_awards():
    return services.list_rounds()


@bp.route("/awards", methods=["POST"])
@bp.arguments(AwardRoundSchema)
@bp.response(201, AwardRoundOutSchema)
@bp.requires(P + "manage")
def post_award(_data):
    """A round of the annual award: criteria whose weights add up to 100 (422 otherwise)."""
    award = services.create_round(_body(), current_user)
    db.session.commit()
    return award


@bp.route("/awards/<int:round_id>/nominations", methods=["POST"])
@bp.arguments(NominationSchema)
@bp.response(201, NominationOutSchema)
@bp.requires(P + "manage")
def post_nomination(_data, round_id):
    nomination = services.nominate(services.get_round(round_id), _body(), current_user)
    db.session.commit()
    return nomination


@bp.route("/awards/<int:round_id>/judges", methods=["POST"])
@bp.arguments(JudgeSchema)
@bp.response(204)
@bp.requires(P + "manage")
def post_judge(_data, round_id):
    services.add_judge(services.get_round(round_id), _body(), current_user)
    db.session.commit()


@bp.route("/awards/<int:round_id>/my-scores")
@bp.response(200, JudgeTaskSchema(many=True))
@bp.requires(P + "view")
def my_scores(round_id):
    """The calling judge's nominations with their own scores only (403 for a non-judge)."""
    return services.judge_tasks(services.get_round(round_id), current_user)


@bp.route("/awards/<int:round_id>/nominations/<int:nomination_id>/scores", methods=["POST"])
@bp.arguments(ScoresSchema)
@bp.response(201, JudgeTaskSchema)
@bp.requires(P + "view")
def post_scores(_data, round_id, nomination_id):
    """The calling judge scores every criterion 0–10 (final; 409 when already submitted)."""
    award = services.get_round(round_id)
    score = services.submit_scores(award, nomination_id, current_user, _body())
    db.session.commit()
    return {"nomination_id": score.nomination_id, "trade_name": "", "scores": score.scores}


@bp.route("/awards/<int:round_id>/results")
@bp.response(200, ResultSchema(many=True))
@bp.requires(P + "view")
def award_results(round_id):
    """Weighted totals ranked (403 for a judge who has not submitted all their scores)."""
    return services.results(services.get_round(round_id), current_user)


@bp.route("/awards/<int:round_id>/publication", methods=["POST"])
@bp.response(200, AwardRoundOutSchema)
@bp.requires(P + "manage")
def post_publication(round_id):
    award = services.publish(services.get_round(round_id), current_user)
    db.session.commit()
    return award


@bp.route("/financing/bodies")
@bp.response(200, FinancingBodyOutSchema(many=True))
@bp.requires(P + "view")
def list_bodies():
    return services.list_bodies()


@bp.route("/financing/bodies", methods=["POST"])
@bp.arguments(FinancingBodySchema)
@bp.response(201, FinancingBodyOutSchema)
@bp.requires(P + "manage")
def post_body(_data):
    """Register a financing body or partner (criteria and quality score for a partner)."""
    body = services.add_body(_body(), current_user)
    db.session.commit()
    return body


@bp.route("/financing/bodies/<int:body_id>/partnership", methods=["PUT"])
@bp.arguments(PartnershipSchema)
@bp.response(200, FinancingBodyOutSchema)
@bp.requires(P + "manage")
def put_partnership(_data, body_id):
    """Record a body's partnership as assessed now: partner or not, its criteria and quality
    score 0–100 (the partnerships KPI counts those reaching the tenant's threshold)."""
    body = services.set_partnership(services.get_body(body_id), _body(), current_user)
    db.session.commit()
    return body


@bp.route("/financing/requests")
@bp.response(200, FinancingRequestOutSchema(many=True))
@bp.requires(P + "view")
def list_financing_requests():
    return services.list_requests()


@bp.route("/financing/requests", methods=["POST"])
@bp.arguments(FinancingRequestSchema)
@bp.response(201, FinancingRequestOutSchema)
@bp.requires(P + "manage")
def post_financing_request(_data):
    """Refer a producer's financing request to a body."""
    referred = services.refer(_body(), current_user)
    db.session.commit()
    return referred


@bp.route("/financing/requests/<int:request_id>/outcome", methods=["POST"])
@bp.arguments(FinancingDecisionSchema)
@bp.response(200, FinancingRequestOutSchema)
@bp.requires(P + "manage")
def post_financing_outcome(_data, request_id):
    """The body's outcome: approved with the amount, rejected; then disbursed (409 otherwise)."""
    decided = services.decide(services.get_request(request_id), _body(), current_user)
    db.session.commit()
    return decided


@bp.route("/kpis")
@bp.arguments(FamiliesKpiQuerySchema, location="query")
@bp.response(200, FamiliesKpiSchema(many=True))
@bp.requires(P + "view")
def kpis(args):
    """The plugin's KPI figures for a period (the sources the planning module binds to)."""
    return [v for v in kpi_values(require_tenant(), args["start"], args["end"]) if v["key"].startswith(P)]
