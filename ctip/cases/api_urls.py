"""The cases app's API routes, included under /api/v1/ like every app's ``api_urls`` (ctip/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from ctip.cases import api, api_care

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register("cases", api_care.CaseCareViewSet, basename="case-care")
router.register("transfers", api_care.TransferViewSet, basename="transfer")
urlpatterns = router.urls
