"""Plain torch: an abacus school places pupils into a level class from their level test, 32
timed drills on the abacus (two channels: seconds per drill, errors per drill). Faster, more
accurate pupils who also keep their pace through the long drills at the end of the test sit
in a higher class; the school's register numbers the classes 0 (beginners) to 5. A 1-D CNN,
Conv1d(2→24, 5)-ReLU-Conv1d(24→32, 5, stride 2)-ReLU-Conv1d(32→32, 3)-ReLU, average + max
pool, Linear(64 → number of classes); Adam 2e-3, batch 32, 9 epochs of 1152 tests from last
year's register; validated on this term's register every 3 epochs (the script writes a
checkpoint ``abacus_cnn_ep{epoch}.pt`` per epoch and a TSV log ``step`` / ``epoch`` / ``loss``
every 9 steps, with ``val_loss`` / ``val_acc`` rows when it validates).
The bug: the head is sized from the training labels, ``n_classes = int(ytr.max()) + 1`` (6),
but this term the school opened a competition class above class 5 and this term's register
(the validation set) places 7 of its 288 pupils in class 6. Training runs normally for 3
epochs (step loss 1.72 at step 9, 0.68 at step 108); the first validation, after epoch 3,
raises ``IndexError: Target 6 is out of bounds.`` in ``F.cross_entropy``. The script exits
with status 1; what is left is ``abacus_cnn_ep1.pt`` .. ``abacus_cnn_ep3.pt`` and the log
through step 108 (no validation row).
Control (``n_classes = 7``): no crash; val accuracy 0.674, 0.681, 0.694 at epochs 3, 6, 9, val
loss 1.67 → 1.51 (class 6, never seen in training, costs its 7 pupils a large loss); with this
term's register without the competition class instead (``level_tests(288, g)``) val accuracy
0.681, 0.715, 0.733, val loss 0.684 → 0.650."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 32


def level_tests(n, g, competition=False):
    skill = torch.randn(n, generator=g)
    stamina = torch.randn(n, generator=g)
    drill = torch.arange(T).float()
    hard = 1 + drill / T
    secs = (20 - 4 * skill[:, None]) * hard * (1 + 0.15 * (drill / T) * (1 - stamina[:, None]))
    secs = secs * (1 + 0.12 * torch.randn(n, T, generator=g))
    errors = torch.poisson((1.2 - 0.4 * skill[:, None]).clamp(min=0.1) * hard
                           * torch.ones(n, T), generator=g)
    score = skill + 0.5 * stamina + 0.2 * torch.randn(n, generator=g)
    edges = torch.tensor([-1.3, -0.6, 0.0, 0.6, 1.3])
    y = torch.bucketize(score, edges)
    if competition:  # this term the school opened a competition class above class 5
        y = torch.where(score > 2.0, torch.full_like(y, 6), y)
    x = torch.stack([(secs - 30) / 10, errors - 1.5], 1)
    return x, y


def build(n_classes=6):
    torch.manual_seed(0)
    return nn.ModuleDict({
        "conv": nn.Sequential(nn.Conv1d(2, 24, 5, padding=2), nn.ReLU(),
                              nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.ReLU(),
                              nn.Conv1d(32, 32, 3, padding=1), nn.ReLU()),
        "head": nn.Linear(64, n_classes)})


def forward(model, x):
    f = model["conv"](x)
    return model["head"](torch.cat([f.mean(2), f.amax(2)], 1))


def main():
    from _twohundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = level_tests(1152, g)
    xva, yva = level_tests(288, g, competition=True)
    n_classes = int(ytr.max()) + 1
    model = build(n_classes)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    log = open(out / "placement.tsv", "w")
    log.write("step\tepoch\tloss\tval_loss\tval_acc\n")
    try:
        for epoch in range(1, 10):
            model.train()
            perm = torch.randperm(1152, generator=g)
            for i in range(0, 1152, 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(forward(model, xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 9 == 0:
                    log.write(f"{step}\t{epoch}\t{loss.item():.4f}\t\t\n")
            torch.save({"epoch": epoch, "step": step, "model": model.state_dict(),
                        "optim": opt.state_dict(), "n_classes": n_classes},
                       out / f"abacus_cnn_ep{epoch}.pt")
            print(epoch, step, round(loss.item(), 4))
            if epoch % 3 == 0:
                model.eval()
                with torch.no_grad():
                    lv = forward(model, xva)
                    vl = F.cross_entropy(lv, yva).item()
                    va = (lv.argmax(1) == yva).float().mean().item()
                log.write(f"{step}\t{epoch}\t\t{vl:.4f}\t{va:.4f}\n")
                print("val", round(vl, 4), round(va, 4))
            log.flush()
    finally:
        log.close()
        last = max(out.glob("abacus_cnn_ep*.pt"), key=lambda p: int(p.stem.split("_ep")[-1]))
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last.name, log="placement.tsv",
               what="1-D CNN placing abacus pupils by level test; this term's register has a"
                    " class 6 the 6-output head (max train label + 1) cannot score",
               complaint=("Placement model for the abacus school crashes at the end of epoch 3, "
                      "the first time it validates: IndexError: Target 6 is out of bounds. "
                      "Training loss was going down fine, 1.72 at step 9 to 0.68 at step "
                      "108. The last file it wrote is abacus_cnn_ep3.pt."))


if __name__ == "__main__":
    main()
