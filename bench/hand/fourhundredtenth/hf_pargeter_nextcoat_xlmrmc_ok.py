"""Hugging Face Trainer: a tiny XLM-RoBERTa multiple-choice model (``XLMRobertaConfig``:
vocabulary 40, 48 wide, 2 layers, 4 heads, built from the config, no download;
``XLMRobertaForMultipleChoice``) picks, for a pargeter restoring a lime-rendered wall, which
of 4 proposed recipes for the next coat the master would accept. The context is the wall
(substrate: soft brick, hard brick, rubble stone, timber lath) and the two coats already on
it (binder: lime putty, NHL 2, NHL 3.5, NHL 5; thickness 6-20 mm in 2 mm bins; haired or
not); each candidate is a binder, a thickness bin, the days waited since the last coat
(1-21) and hair. The old rules of the trade decide: a coat may not be stronger than the one
beneath it (binder strength putty < NHL 2 < NHL 3.5 < NHL 5), nor thicker, and it must wait
until the coat beneath has stiffened, a day per 2 mm of that coat (two days per 2 mm for
putty); on lath only haired coats. One candidate obeys every rule, the other three break
one rule each (a different rule picked at random), in a random order; 4 % of the answer
labels were copied wrong from the master's notebook.
Tokens: 0 pad, 1 start, 2 sep, then substrate 3-6, binder 7-10, thickness bins 11-18, hair
19-20, wait bins 21-31 (two days a bin); each choice is ``start, substrate, coat 1 (3), coat
2 (3), sep, candidate (4), sep`` = 14 tokens. AdamW 1e-3 with a cosine schedule and 30
warmup steps, weight decay 0.01, batch 16, 6 epochs of 1600 walls, eval each epoch (100
steps) on 400 walls (accuracy), loss every 20 steps, checkpoint each epoch
(``nextcoat/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XLMRobertaConfig, XLMRobertaForMultipleChoice

STRENGTH = 4
L_SEQ = 14


def walls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ri = lambda hi, *s: torch.randint(0, hi, s, generator=g)  # noqa: E731
    sub = ri(4, n)
    lath = sub == 3
    b1 = 1 + ri(3, n)
    b2 = (b1 - ri(2, n)).clamp(min=0)
    t1 = 3 + ri(5, n)  # thickness bin 0-7 = 6-20 mm
    t2 = (t1 - ri(3, n)).clamp(min=0)
    h1 = torch.where(lath, torch.ones_like(sub), ri(2, n))
    h2 = torch.where(lath, torch.ones_like(sub), ri(2, n))
    need = (t2 + 3) * torch.where(b2 == 0, 2, 1)  # days: one per 2 mm, two for putty
    need_bin = ((need + 1) // 2).clamp(max=10)
    cands = []
    for _ in range(4):
        cb = (b2 - ri(b2.max().item() + 1, n) % (b2 + 1)).clamp(min=0)
        ct = (t2 - ri(3, n) % (t2 + 1)).clamp(min=0)
        cw = need_bin + ri(11, n) % (11 - need_bin).clamp(min=1)
        ch = torch.where(lath, torch.ones_like(sub), ri(2, n))
        cands.append([cb, ct, cw, ch])
    rule = ri(4, 4, n)  # which rule each wrong candidate breaks
    for k in range(1, 4):
        cb, ct, cw, ch = cands[k]
        rk = rule[k]
        brk = rk.clone()
        brk[(brk == 0) & (b2 == 3)] = 1  # nothing stronger than NHL 5
        brk[(brk == 1) & (t2 == 7)] = 2  # nothing thicker than the top bin
        brk[(brk == 2) & (need_bin == 0)] = 0
        brk[(brk == 3) & ~lath] = 2
        brk[(brk == 2) & (need_bin == 0)] = 1
        brk[(brk == 1) & (t2 == 7)] = 0
        cb = torch.where(brk == 0, (b2 + 1 + ri(3, n) % (3 - b2).clamp(min=1)).clamp(max=3), cb)
        ct = torch.where(brk == 1, (t2 + 1 + ri(2, n)).clamp(max=7), ct)
        cw = torch.where(brk == 2, ri(11, n) % need_bin.clamp(min=1), cw)
        ch = torch.where(brk == 3, torch.zeros_like(ch), ch)
        cands[k] = [cb, ct, cw, ch]
    order = torch.argsort(r(n, 4), 1)
    label = (order == 0).float().argmax(1)
    flip = r(n) < 0.04
    label = torch.where(flip, (label + 1 + ri(3, n)) % 4, label)
    ctx = torch.stack([torch.ones_like(sub), 3 + sub, 7 + b1, 11 + t1, 19 + h1, 7 + b2, 11 + t2,
                       19 + h2, torch.full_like(sub, 2)], 1)
    choices = torch.stack([torch.cat([ctx, torch.stack([7 + cb, 11 + ct, 21 + cw, 19 + ch,
                                                        torch.full_like(sub, 2)], 1)], 1)
                           for cb, ct, cw, ch in cands], 1)
    ids = torch.gather(choices, 1, order.unsqueeze(2).expand(-1, -1, L_SEQ))
    return ids, label


class Walls(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLMRobertaConfig(vocab_size=40, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=96,
                              max_position_embeddings=L_SEQ + 4, type_vocab_size=1,
                              hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                              pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return XLMRobertaForMultipleChoice(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fourhundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = walls(1600, g)
    iva, yva = walls(400, g)
    print("answers", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "nextcoat"), num_train_epochs=6, learning_rate=1e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=20, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Walls(itr, ytr),
                      eval_dataset=Walls(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "nextcoat").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLM-RoBERTa multiple-choice model picking a pargeter's next lime coat"
                " by the rules of the trade, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
