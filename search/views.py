"""The search page: the form, and the ranked results of its query."""

from django.views.generic import TemplateView

from .forms import MAX_QUERY_LENGTH, SearchForm
from .ranking import MAX_RESULTS, search
from .text import query_terms


class SearchView(TemplateView):
    template_name = "search/search.html"
    query_parameters = tuple(SearchForm.base_fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = ""
        results = []
        if form.is_bound and form.is_valid():
            query = form.cleaned_data["q"]
            results = search(query)
        context.update(
            form=form,
            query=query,
            has_words=bool(query_terms(query)),
            results=results,
            results_capped=len(results) >= MAX_RESULTS,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
