from newsgist.threads import BLAS_THREAD_VARS, pin_blas_threads


def test_pin_sets_one_thread_and_keeps_user_values(monkeypatch):
    for var in BLAS_THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    pin_blas_threads()
    import os
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["MKL_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "3"
