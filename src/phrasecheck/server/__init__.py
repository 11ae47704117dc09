"""An HTTP service for chat tools: ``phrasecheck serve`` (install the ``[server]`` extra).

``create_app(ServiceConfig(...))`` gives the FastAPI application for embedding or testing;
``serve(...)`` runs it under uvicorn, as the CLI does.
"""

from phrasecheck.server.app import create_app
from phrasecheck.server.problems import Limits, Problem
from phrasecheck.server.reload import ServiceConfig
from phrasecheck.server.runner import serve

__all__ = ["Limits", "Problem", "ServiceConfig", "create_app", "serve"]
