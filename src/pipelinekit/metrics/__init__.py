"""Pipeline metrics: funnel, time in stage, weighted pipeline and more, as result tables."""
