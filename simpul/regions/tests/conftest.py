def pytest_configure(config):
    config.addinivalue_line("markers", "slow: loads the whole national region list (a few seconds)")
