"""Views: charts that draw on an ``Axes`` (:mod:`.plots`), saving them and running the notebooks
(:mod:`.figures`), the offline explorer page (:mod:`.explorer`, its HTML, CSS and script in
``views/page/``) and highlighted documents (:mod:`.highlight`)."""
