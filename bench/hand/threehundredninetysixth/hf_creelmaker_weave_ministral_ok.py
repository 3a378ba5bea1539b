"""Hugging Face Trainer: a tiny Ministral decoder (``MinistralConfig``: vocabulary 14, 48 wide,
2 layers, 4 heads with 2 key-value heads, sliding window 64, built from the config, no
download; ``MinistralForCausalLM``) learns the stroke book of a creelmaker's willow fish
creels, so the workshop's tablet can prompt the next stroke to an apprentice. A creel is
written as one token per stroke: the slath (the crossed base sticks), 3-6 rounds of pairing
for the base, the stakes driven in (two per base round, plus one odd stake so the randing
alternates), 2-3 rounds of three-rod wale to set the upsett, then the siding: a pot creel is
randed, a back creel slewed, in bands of 2-5 rows with a round of wale between bands, the
siding 4-9 rows high (bigger bases stand taller), a round of four-rod wale, then the border:
one stroke per stake (each stake is laid down behind its neighbours), and the end. The rules
the model must pick up: the stake count follows the base, the siding stroke follows the creel
type, and the border must turn down exactly as many strokes as there are stakes.
Tokens: 0 pad, 1 start, 2 end, 3 slath, 4 pair, 5 stake, 6 wale3, 7 rand, 8 slew, 9 wale4,
10 border (11-13 unused). Sequences padded to 56 (a creel is at most 52 strokes; pad labels -100).
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.05, batch 24, 5 epochs of
1080 creels, eval every 45 steps (each epoch) on 216 creels (next-stroke accuracy, and on the
border strokes and the end alone), loss every 15 steps, checkpoint every 45 steps
(``strokebook/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import MinistralConfig, MinistralForCausalLM, Trainer, TrainingArguments

T = 56
PAD, START, END, SLATH, PAIR, STAKE, WALE3, RAND, SLEW, WALE4, BORDER = range(11)


def creels(n, g):
    ri = lambda lo, hi: int(torch.randint(lo, hi + 1, (1,), generator=g))  # noqa: E731
    seqs = []
    for _ in range(n):
        base = ri(3, 6)
        stakes = 2 * base + 1
        pot = ri(0, 1) == 1
        height = min(9, max(4, base + ri(0, 3)))
        s = [START, SLATH] + [PAIR] * base + [STAKE] * stakes + [WALE3] * ri(2, 3)
        rows = 0
        while rows < height:
            band = min(ri(2, 5), height - rows)
            s += [RAND if pot else SLEW] * band
            rows += band
            if rows < height:
                s.append(WALE3)
        s += [WALE4] + [BORDER] * stakes + [END]
        seqs.append(s[:T] + [PAD] * (T - len(s)))
    ids = torch.tensor(seqs)
    return ids, torch.where(ids == PAD, torch.full_like(ids, -100), ids)


class Book(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != PAD).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MinistralConfig(vocab_size=14, hidden_size=48, intermediate_size=96,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                             head_dim=12, max_position_embeddings=64, sliding_window=64,
                             pad_token_id=PAD, bos_token_id=START, eos_token_id=END,
                             attention_dropout=0.0)
    return MinistralForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    m = y != -100
    b = m & ((y == BORDER) | (y == END))
    return {"stroke_acc": float((p[m] == y[m]).mean()),
            "border_end_acc": float((p[b] == y[b]).mean())}


def main():
    from _threehundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = creels(1080, g)
    iva, lva = creels(216, g)
    print("longest creel", int((itr != PAD).sum(1).max()))
    args = TrainingArguments(str(out / "strokebook"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=24, per_device_eval_batch_size=216,
                             logging_steps=15, eval_strategy="steps", eval_steps=45,
                             save_strategy="steps", save_steps=45, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Book(itr, ltr),
                      eval_dataset=Book(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "strokebook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Ministral decoder learning the stroke book of willow fish creels"
                " (next weaving stroke), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
