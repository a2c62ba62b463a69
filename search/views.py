"""The search page: the form, the ranked results of its query, and the corrected query
it offers when a word was mistyped."""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import TemplateView

from .forms import MAX_QUERY_LENGTH, SearchForm
from .ranking import Search, search
from .text import query_terms


class SearchView(TemplateView):
    template_name = "search/search.html"
    query_parameters = tuple(SearchForm.base_fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = ""
        outcome = Search()
        if form.is_bound and form.is_valid():
            query = form.cleaned_data["q"]
            outcome = search(query)
        suggestion_url = ""
        if outcome.suggestion:
            suggestion_url = f"{reverse('search:search')}?{urlencode({'q': outcome.suggestion})}"
        context.update(
            form=form,
            query=query,
            has_words=bool(query_terms(query)),
            results=outcome.results,
            results_capped=outcome.capped,
            suggestion=outcome.suggestion,
            suggestion_url=suggestion_url,
            not_found=outcome.not_found,
            partial=outcome.partial,
            max_query_length=MAX_QUERY_LENGTH,
            # The page's own form is the search box here: the header leaves its own out.
            hide_site_search=True,
        )
        return context
