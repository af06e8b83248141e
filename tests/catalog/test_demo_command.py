"""``make run`` loads the demo through ``manage.py load_demo_data``: the command itself must import (a moved
name broke it once while every test of the demo's loader still passed)."""

from django.core.management import load_command_class


def test_the_demo_data_command_loads():
    command = load_command_class("catalog", "load_demo_data")
    assert "demo" in command.help
