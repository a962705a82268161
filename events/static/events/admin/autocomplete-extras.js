'use strict';
// The participant filter applies as soon as an actor is chosen (the button stays for keyboards
// and for pages without JavaScript). select2 reports its changes through jQuery only.
// select2 draws its own box beside the hidden <select>: give that box the label's name, which
// screen readers would otherwise not hear (axe: aria-input-field-name).
{
    const $ = django.jQuery;
    // The field's name: its <label>, or in a table of inline rows its column's heading.
    const nameOf = function(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label) {
            return label.textContent.replace(/:\s*$/, '').trim();
        }
        const cell = select.closest('td[class*="field-"]');
        const column = cell && cell.className.match(/field-(\S+)/);
        const heading = column && cell.closest('table').querySelector('th.column-' + column[1]);
        return heading ? heading.textContent.trim() : '';
    };
    const nameTheBoxes = function() {
        $('select.admin-autocomplete').each(function() {
            const name = nameOf(this);
            const box = $(this).next('.select2-container').find('.select2-selection');
            if (!name || !box.length) {
                return;
            }
            box.attr('aria-label', name);
            // The text in the box reads as the name, then what is chosen (or the placeholder).
            const rendered = box.find('.select2-selection__rendered');
            if (rendered.length) {
                rendered.attr('aria-label', name + ': ' + rendered.text().trim());
            }
        });
    };
    $(function() {
        $('form.actor-filter select').on('change', function() {
            this.form.submit();
        });
        nameTheBoxes();
        $(document).on('formset:added', nameTheBoxes);
        $('select.admin-autocomplete').on('change', nameTheBoxes);
    });
}
