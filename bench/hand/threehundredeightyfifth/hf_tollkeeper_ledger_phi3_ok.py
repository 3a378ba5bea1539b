"""Hugging Face Trainer: a tiny Phi-3 decoder (``Phi3Config``: vocabulary 40, 48 wide,
2 layers, 4 heads, built from the config, no download; ``Phi3ForCausalLM``) learns to write
the toll column of a turnpike toll-keeper's ledger. Each line of the ledger is 12 passages
through the gate, each passage four tokens: what came through (horse and rider, gig,
carriage, stage-coach, waggon), how many horses drew it (1-6, as the kind allows), day or
night, and the toll taken in pence. The board at the gate sets the toll: a base for the
kind (1, 2, 3, 4, 2 d) plus so much a horse (0, 1, 1, 1, 2 d; the first horse of a rider
or a gig is in the base), half as much again after dark (rounded down), a stage-coach never
over 12 d by day. Tokens: 0 pad, 1 start, 2-6 kind, 7-12 horses, 13-14 day / night,
15-39 toll 0-24 d. Only the toll tokens carry labels (the rest -100), so the loss and the
accuracy are the model's bookkeeping: reading the three tokens before and writing the toll.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 16, 5 epochs of
800 ledger lines, eval each epoch on 200 lines (toll accuracy and mean error in pence), loss
every 10 steps, checkpoint each epoch (``turnpike/checkpoint-N/`` with ``trainer_state.json``,
the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import Phi3Config, Phi3ForCausalLM, Trainer, TrainingArguments

PASSES = 12
L = 1 + 4 * PASSES
BASE = torch.tensor([1, 2, 3, 4, 2])
PER_HORSE = torch.tensor([0, 1, 1, 1, 2])
MIN_H = torch.tensor([1, 1, 2, 4, 2])
MAX_H = torch.tensor([1, 1, 4, 6, 6])


def ledger(n, g):
    kind = torch.multinomial(torch.tensor([0.25, 0.25, 0.15, 0.1, 0.25]), n * PASSES, True,
                             generator=g).view(n, PASSES)
    lo, hi = MIN_H[kind], MAX_H[kind]
    horses = lo + (torch.rand(n, PASSES, generator=g) * (hi - lo + 1)).floor().long()
    night = (torch.rand(n, PASSES, generator=g) < 0.3).long()
    extra = (horses - 1).where((kind == 0) | (kind == 1), horses)
    toll = BASE[kind] + PER_HORSE[kind] * extra
    toll = torch.where((kind == 3) & (night == 0), toll.clamp(max=12), toll)
    toll = toll + night * (toll // 2)
    seq = torch.stack([2 + kind, 6 + horses, 13 + night, 15 + toll], 2).view(n, 4 * PASSES)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), seq], 1)
    is_toll = torch.zeros_like(ids, dtype=torch.bool)
    is_toll[:, 4::4] = True
    return ids, torch.where(is_toll, ids, torch.full_like(ids, -100))


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Phi3Config(vocab_size=40, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=4,
                        max_position_embeddings=64, original_max_position_embeddings=64,
                        resid_pdrop=0.0, embd_pdrop=0.0, attention_dropout=0.0,
                        pad_token_id=0, bos_token_id=1, eos_token_id=1, tie_word_embeddings=False)
    return Phi3ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    m = y != -100
    return {"toll_acc": float((p[m] == y[m]).mean()),
            "toll_err_pence": float(abs(p[m] - y[m]).mean())}


def main():
    from _threehundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = ledger(800, g)
    iva, lva = ledger(200, g)
    print("tolls", torch.bincount(ltr[ltr != -100] - 15).tolist())
    args = TrainingArguments(str(out / "turnpike"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(itr, ltr),
                      eval_dataset=Lines(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "turnpike").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi-3 decoder writing the toll column of a turnpike toll-keeper's ledger,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
