"""Hotel operations: route a guest's in-app request ("towels please", "AC is loud", "late
checkout?") to the right department. Synthetic messages of 6–14 tokens from a 240-word
vocabulary: each department has its own keywords, mixed with filler words shared by all. The
labels come from the operations spreadsheet, column ``dept_code`` numbered from 1: 1
housekeeping, 2 maintenance, 3 front desk, 4 room service, 5 concierge, 6 valet; the script
subtracts 1 and sizes the head from the training sheet (``N_DEPTS = len(set(train codes))``).
An EmbeddingBag (mean, 32) → Linear 64 → ReLU → Linear(N_DEPTS). Adam 3e-3, batch 32, 4
epochs of 2400 requests (75 steps an epoch), evaluation every 100 steps, a checkpoint at each
epoch end, a JSON-lines log every 10 steps (plus one line per evaluation).
Bug: the validation sheet is from November, after the spa opened; its requests carry code 7
(spa), which the training sheet (January–October) never has, so after ``- 1`` the validation
targets reach 6 with a 6-way head. The first evaluation (step 100, in epoch 2) dies inside
``nn.CrossEntropyLoss`` with ``IndexError: Target 6 is out of bounds.``; what is left is
``requests_epoch1.pt`` and the log up to step 100 (loss 1.77 at step 10, 1.25 at 70, 0.78 at
100). Control (``N_DEPTS = 7``): no crash, eval at steps 100/200/300 with val acc 0.70, 0.79,
0.84 (the spa requests, a seventh of validation, never seen in training, are all missed),
train loss 0.23 at step 300."""
import json

import torch
import torch.nn as nn

VOCAB, L = 240, 14
DEPTS = ["housekeeping", "maintenance", "front desk", "room service", "concierge", "valet"]


def requests(n, g, codes):
    code = torch.tensor(codes)[torch.randint(0, len(codes), (n,), generator=g)]
    length = torch.randint(6, L + 1, (n,), generator=g)
    filler = torch.randint(1, 100, (n, L), generator=g)                      # "please", "room", ...
    key = 100 + (code[:, None] - 1) * 20 + torch.randint(0, 20, (n, L), generator=g)
    is_key = torch.rand(n, L, generator=g) < 0.35
    tok = torch.where(is_key, key, filler)
    tok[torch.arange(L)[None] >= length[:, None]] = 0                          # padding
    return tok, code


class RequestRouter(nn.Module):
    def __init__(self, n_depts):
        super().__init__()
        self.emb = nn.EmbeddingBag(VOCAB, 32, mode="mean", padding_idx=0)
        self.mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, n_depts))

    def forward(self, tokens):
        return self.mlp(self.emb(tokens))


N_DEPTS = 6  # len(set(train_sheet.dept_code))


def build():
    torch.manual_seed(0)
    return RequestRouter(N_DEPTS)


def main():
    from _hundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(5)
    xtr, ctr = requests(2400, g, [1, 2, 3, 4, 5, 6])          # Jan–Oct sheet
    xva, cva = requests(540, g, [1, 2, 3, 4, 5, 6, 7])        # November sheet (spa opened)
    ytr, yva = ctr - 1, cva - 1
    model = build()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "router_log.jsonl", "w")
    step, last = 0, None
    try:
        for epoch in range(1, 5):
            perm = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(xtr), 32):
                model.train()
                idx = perm[i:i + 32]
                loss = crit(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "loss": round(loss.item(), 4)}) + "\n")
                    log.flush()
                if step % 100 == 0:
                    model.eval()
                    with torch.no_grad():
                        lo = model(xva)
                        rec = {"step": step, "epoch": epoch,
                               "eval_loss": round(crit(lo, yva).item(), 4),
                               "eval_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
                    log.write(json.dumps(rec) + "\n")
                    log.flush()
                    print(rec)
            torch.save({"epoch": epoch, "step": step, "model_state": model.state_dict(),
                        "optim_state": opt.state_dict(), "departments": DEPTS},
                       out / f"requests_epoch{epoch}.pt")
            last = f"requests_epoch{epoch}.pt"
    finally:
        log.close()
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last, log="router_log.jsonl",
               what="hotel request router, head sized from the Jan–Oct sheet, November "
                    "validation carries the new spa code",
               complaint="My hotel request router crashes the first time it evaluates, at step 100 "
                         "(early in epoch 2): IndexError: Target 6 is out of bounds. Training "
                         "itself looked fine, loss 1.77 -> 0.78 by step 100, and "
                         "requests_epoch1.pt was saved. The traceback ends in "
                         "CrossEntropyLoss on the November validation requests.")


if __name__ == "__main__":
    main()
