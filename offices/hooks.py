"""Where apps above ``offices`` plug into its pages and commands (filled in ``AppConfig.ready``).

- ``home_panels(office)``: each returns ``(template name, context)`` for a panel of the
  public home page (visits adds today's queue);
- ``demo_seeders(office, stdout=...)``: each adds its app's demo data for ``seed_demo``
  (idempotent, inside its transaction), in INSTALLED_APPS order.
"""

from core.hooks import Hook

home_panels = Hook("offices.home_panels")
demo_seeders = Hook("offices.demo_seeders")
