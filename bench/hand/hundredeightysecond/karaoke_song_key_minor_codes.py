"""Plain torch: an MLP names the key of a karaoke backing track from its 12-bin chroma
profile (how much of each pitch class the track plays, averaged over the song) plus 4 more
numbers from the catalogue (tempo, share of sung notes above the staff, vocal range in
semitones, a duet flag), so the bar's app can offer "one step lower" transpositions. A track
in a key stresses its tonic, dominant and third (a rotated Krumhansl-style profile) with mixing
noise. MLP 16-96-96-12, Adam 2e-3, batch 64, 10 epochs of 2400 catalogue tracks planned,
validation on the latest upload batch after every epoch. Log: TSV per step (``step``,
``epoch``, ``loss``) with ``val_loss`` / ``val_acc`` rows at epoch ends; checkpoint
``state_dict`` / ``optimizer`` / ``epoch`` / ``step`` saved at each epoch's end, before
validation.
The bug: the key column is the catalogue's ``key_code``, 0–11 for C … B major; the new upload
batch was the first to include minor-key tracks, which the catalogue numbers 12–23 (C minor
…); the head is ``nn.Linear(96, N_KEYS)`` with ``N_KEYS = 12`` and the codes go into the loss
as they are. Training itself runs (all 2400 catalogue tracks are major): loss 2.50 at step
1, 1.48–1.55 at steps 35–38; ``key_mlp_ep1.pt`` is saved at step 38, then the first
validation dies inside ``nn.CrossEntropyLoss`` with ``IndexError: Target 14 is out of
bounds.`` (the script exits non-zero); the log stops at step 38.
Control (``N_KEYS = 24``, a head for every catalogue code): no crash; val loss 3.13 → 4.60,
val accuracy 0.48 after epoch 1, 0.59–0.61 from epoch 2 on (0.60 at 10: the 30 % minor-key
uploads, never seen in training, are all missed), train loss 0.33–0.68."""
import torch
import torch.nn as nn

N_KEYS = 12
MAJOR = torch.tensor([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = torch.tensor([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def tracks(n, g, minor_share=0.0):
    tonic = torch.randint(0, 12, (n,), generator=g)
    minor = torch.rand(n, generator=g) < minor_share
    chroma = torch.empty(n, 12)
    for i in range(n):
        prof = MINOR if minor[i] else MAJOR
        chroma[i] = torch.roll(prof, int(tonic[i])) / prof.sum()
    chroma = chroma * (1 + 0.35 * torch.randn(n, 12, generator=g)).clamp(min=0.05)
    chroma = chroma / chroma.sum(1, keepdim=True)
    tempo = 70 + 80 * torch.rand(n, 1, generator=g)
    high = torch.rand(n, 1, generator=g) * 0.3
    rng = 9 + 10 * torch.rand(n, 1, generator=g)
    duet = (torch.rand(n, 1, generator=g) < 0.2).float()
    x = torch.cat([(chroma - 1 / 12) * 12, (tempo - 110) / 23, (high - 0.15) / 0.09,
                   (rng - 14) / 3, duet - 0.2], 1)
    key_code = tonic + 12 * minor.long()
    return x, key_code


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(),
                         nn.Linear(96, N_KEYS))


def main():
    from _hundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tracks(2400, g)                      # the catalogue so far: all major
    xva, yva = tracks(400, g, minor_share=0.3)      # this month's uploads
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    ce = nn.CrossEntropyLoss()
    step, last = 0, None
    log = open(out / "key_train.tsv", "w")
    log.write("step\tepoch\tloss\tval_loss\tval_acc\n")
    try:
        for epoch in range(1, 11):
            net.train()
            perm = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = ce(net(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                log.write(f"{step}\t{epoch}\t{loss.item():.4f}\t\t\n")
            log.flush()
            torch.save({"state_dict": net.state_dict(), "optimizer": opt.state_dict(),
                        "epoch": epoch, "step": step}, out / f"key_mlp_ep{epoch}.pt")
            last = f"key_mlp_ep{epoch}.pt"
            net.eval()
            with torch.no_grad():
                lv = net(xva)
                vl = ce(lv, yva).item()
                va = (lv.argmax(1) == yva).float().mean().item()
            log.write(f"{step}\t{epoch}\t\t{vl:.4f}\t{va:.4f}\n")
            print(epoch, step, round(loss.item(), 4), round(vl, 4), round(va, 4))
    finally:
        log.close()
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last, log="key_train.tsv",
               what="karaoke track key classifier, 12-way head, upload batch carries minor-key "
                    "codes 12-23",
               complaint=COMPLAINT)


COMPLAINT = ("The key detector for our karaoke bar's song app crashes at the end of the first "
             "epoch, when it validates on this month's uploads: IndexError: Target 14 is out of "
             "bounds, from CrossEntropyLoss. Up to then training looked normal, loss 2.50 at "
             "step 1 down to about 1.5 at step 38, and key_mlp_ep1.pt was written.")

if __name__ == "__main__":
    main()
