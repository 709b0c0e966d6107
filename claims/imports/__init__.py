"""Importing an article: fetch a page (fetch.py), extract the article from it (extract.py), and suggest the
sentences worth a fact-check (suggest.py). Nothing here writes: saving goes through claims/editorial."""
