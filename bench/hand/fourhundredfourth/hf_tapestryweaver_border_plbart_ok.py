"""Hugging Face Trainer: a tiny PLBart decoder (``PLBartConfig``: vocabulary 11, 48 wide, 2
decoder layers, 4 heads, built from the config, no download; ``PLBartForCausalLM``) learns
to continue a tapestry border, end by end, for a tapestryweaver's studio that plans borders
from a few woven ends (the weaver checks the next colour before passing the bobbin). A
border row is a repeat of one of the studio's motifs (Greek key 8 ends, wave 6, chevron 10,
lozenge 12), in one of its two colourways (2-4 of the studio's 8 colours), starting
anywhere in the repeat, woven left to right over 40 ends; the motif is
sometimes mirrored at the middle of the border (a point repeat), and about 3 % of ends are
a weaver's slip (another colour). Tokens: 0 pad, 1 start, 2 end of row, 3-10 the colours.
Labels are the row shifted by one end (``PLBartForCausalLM`` does not shift them), -100 after
the end token. The model must tell the motif, colourway and place in the repeat from the ends it has seen;
the first ends of a row, the slips and the turn of a point repeat can only be guessed.
AdamW 2e-3 with cosine decay and 25 warmup steps (10 %), weight decay 0.01, batch 24, 5 epochs of 1200
rows, eval every 50 steps (each epoch) on 300 rows (next-end accuracy over all ends and over
the ends after the first 12), loss every 10 steps, checkpoint every 50 steps
(``borders/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import PLBartConfig, PLBartForCausalLM, Trainer, TrainingArguments

ENDS = 40


# the studio's border motifs, as colour slots along one repeat (slot 0 the ground)
MOTIFS = [[0, 1, 1, 1, 0, 1, 0, 0],  # Greek key, 8 ends
          [0, 1, 2, 1, 0, 0],  # wave, 6 ends
          [0, 0, 1, 2, 2, 1, 0, 0, 1, 1],  # chevron, 10 ends
          [0, 0, 1, 2, 3, 2, 1, 0, 0, 1, 1, 0]]  # lozenge, 12 ends

# two colourways per motif (ground, figure, accents), as the studio dyes them
WAYS = [[[0, 5, 0, 0], [7, 1, 0, 0]], [[2, 4, 6, 0], [0, 3, 5, 0]],
        [[1, 6, 3, 0], [7, 2, 4, 0]], [[0, 2, 5, 7], [6, 1, 3, 4]]]


def borders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ids = torch.zeros(n, ENDS + 2, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(0, 4, (1,), generator=g))
        slots = torch.tensor(MOTIFS[k])
        palette = torch.tensor(WAYS[k][int(torch.randint(0, 2, (1,), generator=g))]) + 3
        motif = palette[slots]
        start = int(torch.randint(0, len(slots), (1,), generator=g))
        row = motif.roll(-start).repeat(ENDS // len(slots) + 1)[:ENDS]
        if r(1).item() < 0.3:  # point repeat: the second half mirrors the first
            row = torch.cat([row[:ENDS // 2], row[:ENDS // 2].flip(0)])
        slip = r(ENDS) < 0.03
        row = torch.where(slip, torch.randint(3, 11, (ENDS,), generator=g), row)
        ids[i, 0], ids[i, 1:ENDS + 1], ids[i, ENDS + 1] = 1, row, 2
    return ids


class Rows(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        nxt = torch.cat([self.ids[i, 1:], torch.tensor([-100])])  # the loss takes labels as they come
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(ENDS + 2, dtype=torch.long),
                "labels": nxt}


def build():
    torch.manual_seed(0)
    config = PLBartConfig(vocab_size=11, d_model=48, encoder_layers=1, decoder_layers=2,
                          encoder_attention_heads=4, decoder_attention_heads=4,
                          encoder_ffn_dim=96, decoder_ffn_dim=96, max_position_embeddings=64,
                          dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                          pad_token_id=0, bos_token_id=1, eos_token_id=2,
                          decoder_start_token_id=1, scale_embedding=False)
    return PLBartForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y = pred.label_ids
    hit = (p == y)[:, :ENDS]  # position t predicts end t + 1 (the last one: end of row)
    return {"next_end_acc": float(hit.mean()), "next_end_acc_after12": float(hit[:, 12:].mean())}


def main():
    from _fourhundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = borders(1200, g)
    va = borders(300, g)
    args = TrainingArguments(str(out / "borders"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    model = build()
    print("parameters", sum(p.numel() for p in model.parameters()))
    trainer = Trainer(model=model, args=args, train_dataset=Rows(tr), eval_dataset=Rows(va),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "borders").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    nxt = torch.cat([va[:64, 1:], torch.full((64, 1), -100)], 1)
    finish(out, __file__, {"inputs": va[:64], "targets": nxt},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PLBart decoder continuing a tapestry border end by end (next colour),"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
